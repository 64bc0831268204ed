using System.Globalization;
using System.Text;
using Gordon.Plugins.CloudWatch.Datums;

namespace Gordon.Plugins.CloudWatch.Api;

/// <summary>
/// Encodes datums as PutMetricData requests in the Query protocol (<c>Action=PutMetricData&amp;Version=2010-08-01</c>,
/// form-encoded) and splits them so each request stays within CloudWatch's limits: 1,000 datums and 1 MB of body.
/// </summary>
internal static class PutMetricDataEncoder
{
    /// <summary>CloudWatch's limit of datums per request.</summary>
    public const int MaxDatumsPerRequest = 1000;

    /// <summary>CloudWatch's limit is 1 MB a request; we stay under 10^6 bytes, whichever way "MB" is read.</summary>
    public const int MaxBodyBytes = 1_000_000;

    /// <summary>Splits datums into requests.</summary>
    /// <param name="namespace">The namespace of every datum.</param>
    /// <param name="datums">The datums, sent in this order.</param>
    /// <param name="tooLarge">Receives any datum that alone exceeds <paramref name="maxBodyBytes"/>.</param>
    /// <param name="maxDatums">Datums per request (a test seam; CloudWatch's limit by default).</param>
    /// <param name="maxBodyBytes">Body bytes per request (a test seam; CloudWatch's limit by default).</param>
    /// <returns>The requests, in order.</returns>
    public static List<PutMetricDataBatch> Split(
        string @namespace,
        IReadOnlyList<MetricDatum> datums,
        List<MetricDatum>? tooLarge = null,
        int maxDatums = MaxDatumsPerRequest,
        int maxBodyBytes = MaxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(datums);
        var batches = new List<PutMetricDataBatch>();
        var header = "Action=PutMetricData&Version=2010-08-01&Namespace=" + Uri.EscapeDataString(@namespace);
        var body = new StringBuilder(header, Math.Min(maxBodyBytes, 64 * 1024));
        var members = new List<MetricDatum>();
        var segment = new StringBuilder(256);
        foreach (var datum in datums)
        {
            AppendMember(segment.Clear(), members.Count + 1, datum);
            if (members.Count == maxDatums || (members.Count > 0 && body.Length + segment.Length > maxBodyBytes))
            {
                batches.Add(Finish(body, members));
                body.Clear().Append(header);
                members = [];
                AppendMember(segment.Clear(), 1, datum);
            }

            if (body.Length + segment.Length > maxBodyBytes)
            {
                tooLarge?.Add(datum);
                continue;
            }

            body.Append(segment);
            members.Add(datum);
        }

        if (members.Count > 0)
        {
            batches.Add(Finish(body, members));
        }

        return batches;
    }

    // Escaped text is ASCII, so the string length is the byte count the limit is about.
    private static PutMetricDataBatch Finish(StringBuilder body, List<MetricDatum> members) =>
        new(Encoding.ASCII.GetBytes(body.ToString()), members);

    private static void AppendMember(StringBuilder sb, int index, MetricDatum datum)
    {
        var prefix = "&MetricData.member." + index.ToString(CultureInfo.InvariantCulture) + ".";
        sb.Append(prefix).Append("MetricName=").Append(Uri.EscapeDataString(datum.MetricName));
        for (var i = 0; i < datum.Dimensions.Count; i++)
        {
            var d = prefix + "Dimensions.member." + (i + 1).ToString(CultureInfo.InvariantCulture) + ".";
            sb.Append(d).Append("Name=").Append(Uri.EscapeDataString(datum.Dimensions[i].Name));
            sb.Append(d).Append("Value=").Append(Uri.EscapeDataString(datum.Dimensions[i].Value));
        }

        sb.Append(prefix).Append("Timestamp=").Append(FormatTimestamp(datum.Timestamp));
        sb.Append(prefix).Append("Value=").Append(FormatValue(datum.Value));
        if (datum.Unit is { } unit)
        {
            sb.Append(prefix).Append("Unit=").Append(unit);
        }

        if (datum.StorageResolution is { } resolution)
        {
            sb.Append(prefix).Append("StorageResolution=").Append(resolution.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>ISO 8601 in UTC with milliseconds, as the Query protocol takes timestamps.</summary>
    public static string FormatTimestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The shortest text that reads back as the same double ("1E+20" form for large values; '+' escaped).</summary>
    public static string FormatValue(double value) =>
        Uri.EscapeDataString(value.ToString("R", CultureInfo.InvariantCulture));
}
