using System.Collections.Concurrent;
using System.Diagnostics;
using Gordon.Abstractions.Metrics;

namespace Gordon.Core.Tests.Support;

/// <summary>An <see cref="IMetricRelay"/> that remembers every call, for asserting metric names and tags.</summary>
internal sealed class RouterRecordingMetricRelay : IMetricRelay
{
    private readonly ConcurrentQueue<RouterRecordedMetric> _calls = new();

    public IReadOnlyList<RouterRecordedMetric> Calls => [.. _calls];

    public void Increment(string name, long value, in TagList tags) => _calls.Enqueue(new("increment", name, value, Flatten(tags)));

    public void Set(string name, double value, in TagList tags) => _calls.Enqueue(new("set", name, value, Flatten(tags)));

    public void Record(string name, double value, in TagList tags) => _calls.Enqueue(new("record", name, value, Flatten(tags)));

    public MetricTimer Timer(string name, in TagList tags) => new(this, TimeProvider.System, name, tags);

    public double Sum(string name) => Calls.Where(c => c.Name == name).Sum(c => c.Value);

    public double Sum(string name, string tag, string value) =>
        Calls.Where(c => c.Name == name && c.Tags.TryGetValue(tag, out var v) && v == value).Sum(c => c.Value);

    private static Dictionary<string, string?> Flatten(in TagList tags)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value?.ToString();
        }

        return result;
    }
}
