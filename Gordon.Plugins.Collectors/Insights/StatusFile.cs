using System.Globalization;
using System.Text;

namespace Gordon.Plugins.Collectors.Insights;

/// <summary>
/// <c>data_collection_status.csv</c>: one row per collection in the package (failures included), with the original's
/// header, field order, CRLF line ends and Python's text for timestamps (<c>2026-11-22 18:48:13.838298+00:00</c>).
/// </summary>
internal static class StatusFile
{
    public const string FileName = "data_collection_status.csv";
    public const string Version = "1.0";
    public const string Header = "collection_start_timestamp,since,until,file_name,status,elapsed";

    public static byte[] Build(IEnumerable<PackageEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var builder = new StringBuilder(Header).Append("\r\n");
        foreach (var entry in entries)
        {
            var c = entry.Collection;
            var elapsed = (long)Math.Floor((c.Finished - c.Started).TotalSeconds);
            builder.Append(PythonTime(c.Started)).Append(',')
                .Append(c.Since is { } since ? PythonTime(since) : string.Empty).Append(',')
                .Append(c.Until is { } until ? PythonTime(until) : string.Empty).Append(',')
                .Append(c.Descriptor.FileName).Append(',')
                .Append(c.Failed ? "failed" : "ok").Append(',')
                .Append(Math.Max(0, elapsed).ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>Python's <c>str(datetime)</c> of an aware UTC time: microseconds only when not zero.</summary>
    public static string PythonTime(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var micros = utc.Ticks % TimeSpan.TicksPerSecond / 10;
        var text = utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return micros == 0 ? text + "+00:00" : text + "." + micros.ToString("D6", CultureInfo.InvariantCulture) + "+00:00";
    }
}
