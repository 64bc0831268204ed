using Prometheus;

namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>A gauge: gauges and observed values set it; an up-down counter adds its measurements.</summary>
internal sealed class GaugeExport(
    IMetricFactory factory, string name, string help, string[] knownKeys, double scale, int limit, IExportProblems problems, bool increments)
    : InstrumentExport(name, help, knownKeys, scale, limit, problems)
{
    private ChildCache<Gauge.Child>? _cache;

    /// <inheritdoc />
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value) || Child(ref _cache, factory, tags) is not { } child)
        {
            return;
        }

        if (increments)
        {
            child.Inc(value * Scale);
        }
        else
        {
            child.Set(value * Scale);
        }
    }

    /// <inheritdoc />
    protected override Func<string[], object> CreateFamily(IMetricFactory metricFactory, string[] labelNames)
    {
        var family = metricFactory.CreateGauge(Name, Help, labelNames);
        return labels => family.WithLabels(labels);
    }
}
