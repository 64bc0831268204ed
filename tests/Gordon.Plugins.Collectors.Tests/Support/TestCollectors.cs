using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Insights;

namespace Gordon.Plugins.Collectors.Tests.Support;

/// <summary>
/// Collectors for gather tests, built as descriptors directly. CSV files use 10-byte lines: the header
/// <c>Col1,Col2</c> and rows <c>1234,6789</c>, so a file of N bytes has N/10 lines.
/// </summary>
internal static class TestCollectors
{
    public const string CsvHeader = "Col1,Col2\n";
    public const string CsvRow = "1234,6789\n";

    public static CollectorDescriptor Config(Func<JsonNode?>? value = null, string version = "1.0") =>
        Json("config", "config", version, value ?? (() => new JsonObject { ["version"] = "test", ["plugins"] = new JsonArray("a", "b") }), isConfig: true);

    public static CollectorDescriptor FailingConfig() => new()
    {
        Name = "config",
        Key = "config",
        Version = "1.0",
        IsConfig = true,
        Collect = (_, _) => throw new InvalidOperationException("config is broken"),
    };

    public static CollectorDescriptor Json(string name, string key, string version, Func<JsonNode?> value, bool isConfig = false, string group = "default") => new()
    {
        Name = name,
        Key = key,
        Version = version,
        Format = CollectorFormat.Json,
        IsConfig = isConfig,
        ShippingGroup = group,
        Collect = (_, _) => Task.FromResult(CollectorOutput.Json(value())),
    };

    public static CollectorDescriptor FailingJson(string name, string key) => new()
    {
        Name = name,
        Key = key,
        Version = "1.0",
        Collect = (_, _) => throw new InvalidOperationException(name + " is broken"),
    };

    /// <summary>A CSV collector writing files of the given sizes (multiples of 10 bytes, header included).</summary>
    public static CollectorDescriptor Csv(string name, string key, params int[] sizes) =>
        Csv(name, key, "1.0", null, (_, _) => sizes);

    /// <summary>A CSV collector whose file sizes depend on the invocation (e.g. per slice).</summary>
    public static CollectorDescriptor Csv(
        string name,
        string key,
        string version,
        ICollectorSlicer? slicer,
        Func<CollectorInvocation, int, int[]> sizesPerCall,
        string group = "default",
        int fullSyncDays = 0)
    {
        var calls = 0;
        return new CollectorDescriptor
        {
            Name = name,
            Key = key,
            Version = version,
            Format = CollectorFormat.Csv,
            Slicer = slicer,
            ShippingGroup = group,
            FullSyncIntervalDays = fullSyncDays,
            Collect = async (invocation, cancellationToken) =>
            {
                var sizes = sizesPerCall(invocation, calls++);
                var files = new List<string>();
                foreach (var size in sizes)
                {
                    var path = Path.Combine(invocation.StagingDirectory, $"{name}-{calls}-{files.Count}.csv");
                    var text = new StringBuilder(CsvHeader);
                    while (text.Length < size)
                    {
                        text.Append(CsvRow);
                    }

                    await File.WriteAllTextAsync(path, text.ToString(), cancellationToken);
                    files.Add(path);
                }

                return CollectorOutput.Csv(files);
            },
        };
    }

    /// <summary>A sliced CSV collector whose single data row is its slice's bounds: <c>since,until</c> in ISO 8601.</summary>
    public static CollectorDescriptor SliceEcho(string name, string key, ICollectorSlicer slicer, int parts = 1, int fullSyncDays = 0, Func<CollectorInvocation, bool>? fails = null) => new()
    {
        Name = name,
        Key = key,
        Version = "1.0",
        Format = CollectorFormat.Csv,
        Slicer = slicer,
        FullSyncIntervalDays = fullSyncDays,
        Collect = async (invocation, cancellationToken) =>
        {
            if (fails?.Invoke(invocation) == true)
            {
                throw new InvalidOperationException("slice failed on purpose");
            }

            var files = new List<string>();
            for (var part = 0; part < parts; part++)
            {
                var path = Path.Combine(invocation.StagingDirectory, $"{key}-{invocation.Since!.Value.UtcTicks}-{part}.csv");
                await File.WriteAllTextAsync(path, $"since,until,part\n{Iso(invocation.Since.Value)},{Iso(invocation.Until!.Value)},{part}\n", cancellationToken);
                files.Add(path);
            }

            return CollectorOutput.Csv(files);
        },
    };

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

/// <summary>A slicer giving the whole window as one slice.</summary>
internal sealed class OneSliceSlicer : ICollectorSlicer
{
    public IEnumerable<CollectorSlice> Slice(SliceRequest request)
    {
        yield return new CollectorSlice(request.Since ?? request.Watermark, request.Until);
    }
}

/// <summary>A slicer giving fixed slices, ignoring the request.</summary>
internal sealed class FixedSlicer(params CollectorSlice[] slices) : ICollectorSlicer
{
    public IEnumerable<CollectorSlice> Slice(SliceRequest request) => slices;
}

/// <summary>Whole days from the start (or the watermark) to until; a full sync gives its own fixed number of days before until.</summary>
internal sealed class DaySlicer(int fullSyncDays = 10) : ICollectorSlicer
{
    public List<SliceRequest> Requests { get; } = [];

    public IEnumerable<CollectorSlice> Slice(SliceRequest request)
    {
        Requests.Add(request);
        var start = request.FullSync ? request.Until.AddDays(-fullSyncDays) : request.Since ?? request.Watermark;
        for (var day = start; day < request.Until; day = day.AddDays(1))
        {
            yield return new CollectorSlice(day, day.AddDays(1) < request.Until ? day.AddDays(1) : request.Until);
        }
    }
}
