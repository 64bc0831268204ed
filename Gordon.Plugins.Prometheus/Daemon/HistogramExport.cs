using Prometheus;

namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>A histogram with the instrument's advised buckets, or buckets suited to its unit.</summary>
internal sealed class HistogramExport(
    IMetricFactory factory, string name, string help, string[] knownKeys, double scale, int limit, IExportProblems problems, double[]? buckets)
    : InstrumentExport(name, help, knownKeys, scale, limit, problems)
{
    private ChildCache<Histogram.Child>? _cache;

    /// <inheritdoc />
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value) || Child(ref _cache, factory, tags) is not { } child)
        {
            return;
        }

        child.Observe(value * Scale);
    }

    /// <inheritdoc />
    protected override Func<string[], object> CreateFamily(IMetricFactory metricFactory, string[] labelNames)
    {
        var family = metricFactory.CreateHistogram(Name, Help, labelNames, new HistogramConfiguration { Buckets = buckets });
        return labels => family.WithLabels(labels);
    }
}
