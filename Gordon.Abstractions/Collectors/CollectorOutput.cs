using System.Text.Json.Nodes;

namespace Gordon.Abstractions.Collectors;

/// <summary>What a collector returns: a JSON value, or the CSV files it wrote.</summary>
public sealed class CollectorOutput
{
    private CollectorOutput(CollectorFormat format, JsonNode? json, IReadOnlyList<string> files)
    {
        Format = format;
        JsonValue = json;
        CsvFiles = files;
    }

    /// <summary>The kind of output; it must match the collector's <see cref="CollectorAttribute.Format"/>.</summary>
    public CollectorFormat Format { get; }

    /// <summary>The JSON value of a JSON collector (null is written as <c>null</c>).</summary>
    public JsonNode? JsonValue { get; }

    /// <summary>The files of a CSV collector, in order; empty when there was nothing to collect.</summary>
    public IReadOnlyList<string> CsvFiles { get; }

    /// <summary>A JSON value, written as the file's whole content.</summary>
    /// <param name="value">The value; null is written as <c>null</c>.</param>
    /// <returns>The output.</returns>
    public static CollectorOutput Json(JsonNode? value) => new(CollectorFormat.Json, value, []);

    /// <summary>CSV files the collector wrote (each with its header line); each becomes one <c>&lt;key&gt;.csv</c> member.</summary>
    /// <param name="paths">The files, in order; empty for nothing collected.</param>
    /// <returns>The output.</returns>
    public static CollectorOutput Csv(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return new(CollectorFormat.Csv, null, [.. paths]);
    }

    /// <summary>One CSV file the collector wrote.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The output.</returns>
    public static CollectorOutput Csv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new(CollectorFormat.Csv, null, [path]);
    }
}
