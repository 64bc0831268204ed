using Prometheus;

namespace Gordon.Plugins.Prometheus.Diagnostics;

/// <summary>The plugin's own metrics (<c>gordon_prometheus_*</c>): series tracked, refused, removed, events skipped, pushes.</summary>
internal sealed class SelfMetrics
{
    /// <summary>Creates the metrics on the plugin's registry.</summary>
    /// <param name="factory">The registry's factory.</param>
    /// <param name="push">Whether push mode is on (its counter is made only then).</param>
    public SelfMetrics(IMetricFactory factory, bool push)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var tracked = factory.CreateGauge(
            "gordon_prometheus_tracked", "Consumer groups and partitions whose lag series are exported now (max_series caps their sum)", ["kind"]);
        TrackedGroups = tracked.WithLabels("group");
        TrackedPartitions = tracked.WithLabels("partition");
        var refused = factory.CreateCounter(
            "gordon_prometheus_series_refused_total", "Groups and partitions not exported because max_series was reached (kind=daemon: daemon-metric samples of an instrument with too many label sets)", ["kind"]);
        RefusedGroups = refused.WithLabels("group");
        RefusedPartitions = refused.WithLabels("partition");
        RefusedDaemon = refused.WithLabels("daemon");
        var removed = factory.CreateCounter(
            "gordon_prometheus_series_removed_total",
            "Groups and partitions whose series were removed: not reported for series_ttl (ttl), or left out of a full report (vanished)",
            ["kind", "reason"]);
        ExpiredGroups = removed.WithLabels("group", "ttl");
        ExpiredPartitions = removed.WithLabels("partition", "ttl");
        VanishedPartitions = removed.WithLabels("partition", "vanished");
        var skipped = factory.CreateCounter(
            "gordon_prometheus_events_skipped_total", "Consumer-status events that changed no series, by reason", ["reason"]);
        SkippedNoGroup = skipped.WithLabels("no_group");
        SkippedRefused = skipped.WithLabels("max_series");
        if (push)
        {
            var pushes = factory.CreateCounter("gordon_prometheus_pushes_total", "Pushes to the Pushgateway, by outcome", ["outcome"]);
            PushSucceeded = pushes.WithLabels("success");
            PushFailed = pushes.WithLabels("error");
        }
    }

    public Gauge.Child TrackedGroups { get; }

    public Gauge.Child TrackedPartitions { get; }

    public Counter.Child RefusedGroups { get; }

    public Counter.Child RefusedPartitions { get; }

    /// <summary>Daemon-metric measurements dropped because their instrument had too many label sets.</summary>
    public Counter.Child RefusedDaemon { get; }

    public Counter.Child ExpiredGroups { get; }

    public Counter.Child ExpiredPartitions { get; }

    public Counter.Child VanishedPartitions { get; }

    public Counter.Child SkippedNoGroup { get; }

    public Counter.Child SkippedRefused { get; }

    public Counter.Child? PushSucceeded { get; }

    public Counter.Child? PushFailed { get; }
}
