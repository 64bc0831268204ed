using System.Collections.Concurrent;
using System.Diagnostics;
using Gordon.Abstractions.Metrics;

namespace Gordon.Plugins.CloudWatch.Tests.Support;

/// <summary>Records every metric call, so tests can sum counters by tag.</summary>
internal sealed class RecordingMetricRelay : IMetricRelay
{
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, string?> Tags, bool Gauge)> _calls = new();

    public void Increment(string name, long value, in TagList tags) => _calls.Enqueue((name, value, ToDictionary(tags), false));

    public void Set(string name, double value, in TagList tags) => _calls.Enqueue((name, value, ToDictionary(tags), true));

    public void Record(string name, double value, in TagList tags) => _calls.Enqueue((name, value, ToDictionary(tags), false));

    public MetricTimer Timer(string name, in TagList tags) => new(this, TimeProvider.System, name, tags);

    /// <summary>The sum of a counter over the calls whose tags include all of <paramref name="tags"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] tags) =>
        _calls.Where(c => c.Name == name && !c.Gauge && tags.All(t => c.Tags.GetValueOrDefault(t.Key) == t.Value)).Sum(c => c.Value);

    /// <summary>The last value a gauge was set to.</summary>
    public double? Last(string name) => _calls.LastOrDefault(c => c.Name == name && c.Gauge) is { Name: not null } call ? call.Value : null;

    /// <summary>Every tag set a counter was incremented with.</summary>
    public IReadOnlyList<Dictionary<string, string?>> TagsOf(string name) => [.. _calls.Where(c => c.Name == name).Select(c => c.Tags)];

    private static Dictionary<string, string?> ToDictionary(in TagList tags)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value?.ToString();
        }

        return result;
    }
}
