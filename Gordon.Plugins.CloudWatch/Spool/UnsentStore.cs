using System.Globalization;
using System.Text.Json;
using Gordon.Plugins.CloudWatch.Datums;

namespace Gordon.Plugins.CloudWatch.Spool;

/// <summary>
/// Keeps datums that could not be sent before shutdown in <c>&lt;state_dir&gt;/cloudwatch/&lt;plugin&gt;/unsent-*.json</c>,
/// and gives them back at the next start. The core's dead-letter file holds messages, and by the time the plugin
/// stops, the messages these datums came from are long done, so the plugin keeps its own file. Files are written to
/// a temporary name, flushed to disk and renamed, so a crash leaves the old state or the new one, never half a file.
/// A file that cannot be read is renamed <c>*.corrupt</c> and reported; it never stops the plugin.
/// </summary>
internal sealed class UnsentStore
{
    private const string Format = "gordon-cloudwatch-unsent";
    private readonly TimeProvider _time;

    public UnsentStore(string directory, TimeProvider time)
    {
        Directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public string Directory { get; }

    /// <summary>The store's folder for a plugin instance: <c>cloudwatch/&lt;name&gt;</c> under the state directory.</summary>
    public static string DirectoryFor(string stateDirectory, string pluginName)
    {
        var safe = string.Concat(pluginName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
        return Path.Combine(stateDirectory, "cloudwatch", safe);
    }

    /// <summary>Writes datums to a new file, atomically.</summary>
    /// <returns>The file's path.</returns>
    public string Write(string @namespace, IReadOnlyList<MetricDatum> datums)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var path = Path.Combine(Directory, $"unsent-{stamp}.json");
        for (var n = 1; File.Exists(path); n++)
        {
            path = Path.Combine(Directory, $"unsent-{stamp}-{n.ToString(CultureInfo.InvariantCulture)}.json");
        }

        WriteAtomically(path, @namespace, datums);
        return path;
    }

    /// <summary>Replaces a file's datums with the ones still unsent, or deletes it when none are left.</summary>
    public void Rewrite(UnsentFile file, IReadOnlyList<MetricDatum> remaining)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (remaining.Count == 0)
        {
            File.Delete(file.Path);
        }
        else
        {
            WriteAtomically(file.Path, file.Namespace, remaining);
        }
    }

    /// <summary>Reads every unsent file, oldest first; unreadable ones are moved aside.</summary>
    /// <param name="corrupt">Receives each unreadable file (its new name) and what was wrong.</param>
    public List<UnsentFile> Load(List<(string Path, string Problem)> corrupt)
    {
        ArgumentNullException.ThrowIfNull(corrupt);
        var files = new List<UnsentFile>();
        if (!System.IO.Directory.Exists(Directory))
        {
            return files;
        }

        foreach (var path in System.IO.Directory.GetFiles(Directory, "unsent-*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                files.Add(Read(path));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or IOException)
            {
                var aside = path + ".corrupt";
                File.Move(path, aside, overwrite: true);
                corrupt.Add((aside, ex.Message));
            }
        }

        return files;
    }

    private static UnsentFile Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        if (root.GetProperty("format").GetString() != Format || root.GetProperty("version").GetInt32() != 1)
        {
            throw new FormatException($"not a version 1 {Format} file");
        }

        var ns = root.GetProperty("namespace").GetString() ?? throw new FormatException("namespace is null");
        var datums = new List<MetricDatum>();
        foreach (var item in root.GetProperty("datums").EnumerateArray())
        {
            var dimensions = new List<Dimension>();
            foreach (var d in item.GetProperty("dimensions").EnumerateArray())
            {
                dimensions.Add(new Dimension(
                    d.GetProperty("name").GetString() ?? throw new FormatException("dimension name is null"),
                    d.GetProperty("value").GetString() ?? throw new FormatException("dimension value is null")));
            }

            datums.Add(new MetricDatum(
                item.GetProperty("name").GetString() ?? throw new FormatException("metric name is null"),
                dimensions,
                item.GetProperty("value").GetDouble(),
                item.TryGetProperty("unit", out var unit) && unit.ValueKind == JsonValueKind.String ? unit.GetString() : null,
                item.GetProperty("timestamp").GetDateTimeOffset(),
                item.TryGetProperty("storage_resolution", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : null));
        }

        return new UnsentFile(path, ns, datums);
    }

    private void WriteAtomically(string path, string @namespace, IReadOnlyList<MetricDatum> datums)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteString("format", Format);
                json.WriteNumber("version", 1);
                json.WriteString("namespace", @namespace);
                json.WriteString("written", _time.GetUtcNow());
                json.WriteStartArray("datums");
                foreach (var datum in datums)
                {
                    json.WriteStartObject();
                    json.WriteString("name", datum.MetricName);
                    json.WriteStartArray("dimensions");
                    foreach (var dimension in datum.Dimensions)
                    {
                        json.WriteStartObject();
                        json.WriteString("name", dimension.Name);
                        json.WriteString("value", dimension.Value);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteNumber("value", datum.Value);
                    if (datum.Unit is not null)
                    {
                        json.WriteString("unit", datum.Unit);
                    }

                    json.WriteString("timestamp", datum.Timestamp);
                    if (datum.StorageResolution is { } resolution)
                    {
                        json.WriteNumber("storage_resolution", resolution);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
