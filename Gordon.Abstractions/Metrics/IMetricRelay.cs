using System.Diagnostics;

namespace Gordon.Abstractions.Metrics;

/// <summary>
/// Records metrics. The host implements it on <c>System.Diagnostics.Metrics</c>, so any exporter
/// (Prometheus, OpenTelemetry) can read them. Names are dashed or dotted words, e.g.
/// <c>router-message-done</c>; tags are low-cardinality labels.
/// </summary>
public interface IMetricRelay
{
    /// <summary>Adds <paramref name="value"/> to a counter.</summary>
    /// <param name="name">The counter name.</param>
    /// <param name="value">The amount, at least 0.</param>
    /// <param name="tags">The labels.</param>
    void Increment(string name, long value, in TagList tags);

    /// <summary>Adds one to a counter with no labels.</summary>
    /// <param name="name">The counter name.</param>
    void Increment(string name) => Increment(name, 1, default);

    /// <summary>Sets a gauge to <paramref name="value"/>.</summary>
    /// <param name="name">The gauge name.</param>
    /// <param name="value">The value.</param>
    /// <param name="tags">The labels.</param>
    void Set(string name, double value, in TagList tags);

    /// <summary>Records one observation in a histogram (durations are in seconds).</summary>
    /// <param name="name">The histogram name.</param>
    /// <param name="value">The observation.</param>
    /// <param name="tags">The labels.</param>
    void Record(string name, double value, in TagList tags);

    /// <summary>Starts a timer that records the elapsed seconds in a histogram when disposed.</summary>
    /// <param name="name">The histogram name.</param>
    /// <param name="tags">The labels.</param>
    /// <returns>The running timer; dispose it to record.</returns>
    MetricTimer Timer(string name, in TagList tags);

    /// <summary>
    /// The meter that owns this relay's instruments, for exporters (such as the Prometheus plugin) that
    /// publish every daemon metric; null when the relay records nowhere an exporter can listen.
    /// </summary>
    System.Diagnostics.Metrics.Meter? Meter => null;
}
