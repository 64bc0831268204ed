using System.Diagnostics;
using Gordon.Abstractions.Metrics;

namespace Gordon.Core.Tests.Support;

/// <summary>Discards metrics: plugin-loading tests don't look at them.</summary>
internal sealed class PluginTestMetricRelay : IMetricRelay
{
    public void Increment(string name, long value, in TagList tags)
    {
    }

    public void Set(string name, double value, in TagList tags)
    {
    }

    public void Record(string name, double value, in TagList tags)
    {
    }

    public MetricTimer Timer(string name, in TagList tags) => new(this, TimeProvider.System, name, tags);
}
