namespace Gordon.Core.Routing;

/// <summary>
/// One worker's counts since it last reported them. A worker adds to these without atomics and hands
/// them to the metric relay when its channel runs empty or every <see cref="FlushEvery"/> messages, so
/// the per-message counters cost one relay call per batch instead of several per message.
/// </summary>
internal sealed class WorkerCounters
{
    /// <summary>The most messages counted before the counts are reported even while busy.</summary>
    public const int FlushEvery = 1024;

    /// <summary>The shortest time, in seconds, between two samples of the gauges by one worker.</summary>
    public const double GaugeInterval = 0.005;

    /// <summary>When this worker last set the gauges (<see cref="long.MinValue"/>: never).</summary>
    public long GaugesSetAt { get; set; } = long.MinValue;

    /// <summary>Messages moved to the next phase (or to <c>done</c>).</summary>
    public long Moved { get; set; }

    /// <summary>Messages that reached <c>done</c>.</summary>
    public long Done { get; set; }

    /// <summary>Messages processed since the last report.</summary>
    public int Processed { get; set; }
}
