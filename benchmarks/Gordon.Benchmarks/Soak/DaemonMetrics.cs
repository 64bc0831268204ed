using System.Globalization;
using System.Text.RegularExpressions;

namespace Gordon.Benchmarks.Soak;

/// <summary>The few figures the soak reads from the daemon's own <c>/metrics</c>.</summary>
internal sealed partial record DaemonMetrics(
    double? GcHeapBytes,
    double? InFlight,
    double? BatchSeconds,
    double? BatchCount,
    double? BatchEvents)
{
    public static DaemonMetrics Parse(string exposition) => new(
        Value(HeapLine(), exposition),
        Value(InFlightLine(), exposition),
        Value(BatchSecondsLine(), exposition),
        Value(BatchCountLine(), exposition),
        Value(BatchEventsLine(), exposition));

    /// <summary>Mean batch time (ms) and size over the window since <paramref name="previous"/>.</summary>
    public (double? Milliseconds, double? Size) BatchesSince(DaemonMetrics? previous)
    {
        var count = BatchCount - (previous?.BatchCount ?? 0);
        if (count is not > 0)
        {
            return (null, null);
        }

        return ((BatchSeconds - (previous?.BatchSeconds ?? 0)) * 1000 / count, (BatchEvents - (previous?.BatchEvents ?? 0)) / count);
    }

    private static double? Value(Regex line, string exposition) =>
        line.Match(exposition) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    // prometheus-net's own runtime gauge, or the .NET meter's heap size under the gordon_ prefix.
    [GeneratedRegex(@"^(?:dotnet_total_memory_bytes|\w*gc_heap_size_bytes)(?:\{[^}]*\})? ([0-9.eE+]+)$", RegexOptions.Multiline)]
    private static partial Regex HeapLine();

    [GeneratedRegex(@"^gordon_router_messages_in_flight ([0-9.eE+]+)$", RegexOptions.Multiline)]
    private static partial Regex InFlightLine();

    [GeneratedRegex(@"^gordon_storage_batch_duration_seconds_sum ([0-9.eE+]+)$", RegexOptions.Multiline)]
    private static partial Regex BatchSecondsLine();

    [GeneratedRegex(@"^gordon_storage_batch_duration_seconds_count ([0-9.eE+]+)$", RegexOptions.Multiline)]
    private static partial Regex BatchCountLine();

    [GeneratedRegex(@"^gordon_storage_batch_size_sum ([0-9.eE+]+)$", RegexOptions.Multiline)]
    private static partial Regex BatchEventsLine();
}
