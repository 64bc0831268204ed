using Prometheus;

namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>A counter: a <c>Counter</c> instrument adds each measurement; an observable counter reports the total.</summary>
internal sealed class CounterExport(
    IMetricFactory factory, string name, string help, string[] knownKeys, double scale, int limit, IExportProblems problems, bool observedTotals)
    : InstrumentExport(name, help, knownKeys, scale, limit, problems)
{
    private ChildCache<Counter.Child>? _cache;

    /// <inheritdoc />
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var scaled = value * Scale;
        if (!(scaled >= 0) || Child(ref _cache, factory, tags) is not { } child)
        {
            return;
        }

        if (observedTotals)
        {
            child.IncTo(scaled);
        }
        else
        {
            child.Inc(scaled);
        }
    }

    /// <inheritdoc />
    protected override Func<string[], object> CreateFamily(IMetricFactory metricFactory, string[] labelNames)
    {
        var family = metricFactory.CreateCounter(Name, Help, labelNames);
        return labels => family.WithLabels(labels);
    }
}
