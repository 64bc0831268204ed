using System.Collections.Concurrent;
using System.Diagnostics;
using Gordon.Abstractions.Metrics;

namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>Keeps counter totals (by name, and by name and reason) and the last value of each gauge.</summary>
internal sealed class RecordingMetricRelay : IMetricRelay
{
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _gauges = new(StringComparer.Ordinal);

    public long Count(string name) => _counters.GetValueOrDefault(name);

    public long Count(string name, string reason) => _counters.GetValueOrDefault(name + "/" + reason);

    public double Gauge(string name) => _gauges.GetValueOrDefault(name, double.NaN);

    public void Increment(string name, long value, in TagList tags)
    {
        _counters.AddOrUpdate(name, value, (_, total) => total + value);
        foreach (var tag in tags)
        {
            if (tag.Key == "reason")
            {
                _counters.AddOrUpdate(name + "/" + tag.Value, value, (_, total) => total + value);
            }
        }
    }

    public void Set(string name, double value, in TagList tags) => _gauges[name] = value;

    public void Record(string name, double value, in TagList tags) => _counters.AddOrUpdate(name, 1, (_, total) => total + 1);

    public MetricTimer Timer(string name, in TagList tags) => new(this, TimeProvider.System, name, tags);
}
