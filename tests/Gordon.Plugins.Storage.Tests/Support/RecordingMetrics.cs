using System.Collections.Concurrent;
using System.Diagnostics;
using Gordon.Abstractions.Metrics;

namespace Gordon.Plugins.Storage.Tests.Support;

/// <summary>Keeps every counter total and histogram observation.</summary>
internal sealed class RecordingMetrics : IMetricRelay
{
    public ConcurrentDictionary<string, long> Counters { get; } = new();

    public ConcurrentQueue<(string Name, double Value)> Observations { get; } = new();

    public long Counter(string name) => Counters.TryGetValue(name, out var value) ? value : 0;

    public IReadOnlyList<double> Observed(string name) => [.. Observations.Where(o => o.Name == name).Select(o => o.Value)];

    public void Increment(string name, long value, in TagList tags) => Counters.AddOrUpdate(name, value, (_, old) => old + value);

    public void Set(string name, double value, in TagList tags)
    {
    }

    public void Record(string name, double value, in TagList tags) => Observations.Enqueue((name, value));

    public MetricTimer Timer(string name, in TagList tags) => default;
}
