using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gordon.Abstractions.Metrics;

namespace Gordon.Plugins.Prometheus.Tests.Support;

/// <summary>
/// A relay on a real <see cref="Meter"/> named <c>Gordon</c>, built as the core's relay is (counters of long, gauges and
/// histograms of double; <c>Record</c> makes a histogram without a unit, only <c>Timer</c> one in seconds), so the plugin
/// listens to real instruments. Each test gets its own meter, which keeps tests running side by side apart.
/// </summary>
internal sealed class TestMetricRelay : IMetricRelay, IDisposable
{
    private readonly Meter _meter = new("Gordon");
    private readonly ConcurrentDictionary<string, Instrument> _instruments = new(StringComparer.Ordinal);

    public Meter Meter => _meter;

    public void Increment(string name, long value, in TagList tags) =>
        ((Counter<long>)_instruments.GetOrAdd(name, n => _meter.CreateCounter<long>(n))).Add(value, tags);

    public void Set(string name, double value, in TagList tags) =>
        ((Gauge<double>)_instruments.GetOrAdd(name, n => _meter.CreateGauge<double>(n))).Record(value, tags);

    public void Record(string name, double value, in TagList tags) =>
        ((Histogram<double>)_instruments.GetOrAdd(name, n => _meter.CreateHistogram<double>(n))).Record(value, tags);

    public MetricTimer Timer(string name, in TagList tags)
    {
        _instruments.GetOrAdd(name, n => _meter.CreateHistogram<double>(n, unit: "s"));
        return new(this, TimeProvider.System, name, tags);
    }

    /// <summary>Records as the router does after one handler call (<c>router-handler-duration</c>, tagged plugin and phase).</summary>
    public void HandlerCall(string plugin, string phase, double seconds = 0.0001) =>
        Record("router-handler-duration", seconds, new TagList { { "plugin", plugin }, { "phase", phase } });

    public void Dispose() => _meter.Dispose();
}
