using System.Collections.Concurrent;
using System.Diagnostics;
using Gordon.Abstractions.Metrics;

namespace Gordon.Plugins.Burrow.Tests.Support;

/// <summary>Records counter increments with their tags.</summary>
internal sealed class RecordingMetricRelay : IMetricRelay
{
    private readonly ConcurrentQueue<(string Name, long Value, KeyValuePair<string, object?>[] Tags)> _increments = new();

    public void Increment(string name, long value, in TagList tags) => _increments.Enqueue((name, value, [.. tags]));

    public void Set(string name, double value, in TagList tags)
    {
    }

    public void Record(string name, double value, in TagList tags)
    {
    }

    public MetricTimer Timer(string name, in TagList tags) => new(this, TimeProvider.System, name, tags);

    /// <summary>The sum of a counter's increments whose tags include <paramref name="tag"/>=<paramref name="value"/> (any tags when null).</summary>
    public long Count(string name, string? tag = null, string? value = null) =>
        _increments
            .Where(i => i.Name == name && (tag is null || i.Tags.Any(t => t.Key == tag && Equals(t.Value, value))))
            .Sum(i => i.Value);
}
