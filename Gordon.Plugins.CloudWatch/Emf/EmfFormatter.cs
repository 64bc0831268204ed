using System.Buffers;
using System.Text.Json;
using Gordon.Plugins.CloudWatch.Datums;

namespace Gordon.Plugins.CloudWatch.Emf;

/// <summary>
/// Writes datums as CloudWatch Embedded Metric Format documents, one JSON object a line: <c>_aws.Timestamp</c> (epoch
/// milliseconds), <c>_aws.CloudWatchMetrics[{Namespace, Dimensions: [[names]], Metrics: [{Name, Unit}]}]</c>, and each
/// dimension and metric value as a member of the root. Datums that share their dimensions and timestamp share a document.
/// </summary>
internal static class EmfFormatter
{
    /// <summary>The EMF limit of metrics in one directive.</summary>
    public const int MaxMetricsPerDocument = 100;

    /// <summary>Appends one line per document to <paramref name="output"/>.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="datums">The datums (valid ones).</param>
    /// <param name="output">Receives UTF-8 lines, each ending in '\n'.</param>
    /// <returns>The number of lines written.</returns>
    public static int Write(string @namespace, IReadOnlyList<MetricDatum> datums, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(datums);
        ArgumentNullException.ThrowIfNull(output);
        var lines = 0;
        var groups = new List<List<MetricDatum>>();
        foreach (var datum in datums)
        {
            var group = groups.Find(g => g[0].Timestamp == datum.Timestamp && SameDimensions(g[0].Dimensions, datum.Dimensions)
                && g.Count < MaxMetricsPerDocument && g.TrueForAll(d => d.MetricName != datum.MetricName));
            if (group is null)
            {
                groups.Add([datum]);
            }
            else
            {
                group.Add(datum);
            }
        }

        var options = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        foreach (var group in groups)
        {
            using (var json = new Utf8JsonWriter(output, options))
            {
                WriteDocument(json, @namespace, group);
            }

            output.Write("\n"u8);
            lines++;
        }

        return lines;
    }

    /// <summary>True when a datum cannot be an EMF root member: its name is <c>_aws</c> or one of its dimension names.</summary>
    public static bool Collides(MetricDatum datum)
    {
        ArgumentNullException.ThrowIfNull(datum);
        return datum.MetricName == "_aws" || datum.Dimensions.Any(d => d.Name == datum.MetricName || d.Name == "_aws");
    }

    private static void WriteDocument(Utf8JsonWriter json, string @namespace, List<MetricDatum> group)
    {
        var first = group[0];
        json.WriteStartObject();
        json.WriteStartObject("_aws");
        json.WriteNumber("Timestamp", first.Timestamp.ToUnixTimeMilliseconds());
        json.WriteStartArray("CloudWatchMetrics");
        json.WriteStartObject();
        json.WriteString("Namespace", @namespace);
        json.WriteStartArray("Dimensions");
        json.WriteStartArray();
        foreach (var dimension in first.Dimensions)
        {
            json.WriteStringValue(dimension.Name);
        }

        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteStartArray("Metrics");
        foreach (var datum in group)
        {
            json.WriteStartObject();
            json.WriteString("Name", datum.MetricName);
            if (datum.Unit is not null)
            {
                json.WriteString("Unit", datum.Unit);
            }

            if (datum.StorageResolution is { } resolution)
            {
                json.WriteNumber("StorageResolution", resolution);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        foreach (var dimension in first.Dimensions)
        {
            json.WriteString(dimension.Name, dimension.Value);
        }

        foreach (var datum in group)
        {
            json.WriteNumber(datum.MetricName, datum.Value);
        }

        json.WriteEndObject();
    }

    private static bool SameDimensions(IReadOnlyList<Dimension> a, IReadOnlyList<Dimension> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
