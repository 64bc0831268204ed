using Gordon.Plugins.CloudWatch.Api;

namespace Gordon.Plugins.CloudWatch.Sending;

/// <summary>What tests may replace in the sender, and the overflow count shared with the handler.</summary>
internal sealed class SenderSeams
{
    /// <summary>A number in [0, 1) for the backoff jitter.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>Called once a backoff wait is on the clock, with its length (tests advance a fake clock then).</summary>
    public Action<TimeSpan>? BackoffStarted { get; init; }

    /// <summary>Called after every flush (tests wait for it instead of sleeping).</summary>
    public Action? FlushCompleted { get; init; }

    public int MaxDatumsPerRequest { get; init; } = PutMetricDataEncoder.MaxDatumsPerRequest;

    public int MaxBodyBytes { get; init; } = PutMetricDataEncoder.MaxBodyBytes;

    /// <summary>Datums the handler dropped for a full buffer since the last flush's log line.</summary>
    public int OverflowSinceLog;
}
