using System.Diagnostics;

namespace Gordon.Abstractions.Metrics;

/// <summary>A running timer from <see cref="IMetricRelay.Timer"/>; disposing it records the elapsed seconds once.</summary>
public struct MetricTimer : IDisposable
{
    private readonly IMetricRelay? _relay;
    private readonly TimeProvider? _clock;
    private readonly string? _name;
    private readonly TagList _tags;
    private readonly long _start;
    private bool _recorded;

    /// <summary>Starts a timer.</summary>
    /// <param name="relay">Where the elapsed time is recorded.</param>
    /// <param name="clock">The clock that measures it.</param>
    /// <param name="name">The histogram name.</param>
    /// <param name="tags">The labels.</param>
    public MetricTimer(IMetricRelay relay, TimeProvider clock, string name, in TagList tags)
    {
        _relay = relay;
        _clock = clock;
        _name = name;
        _tags = tags;
        _start = clock.GetTimestamp();
    }

    /// <summary>Records the elapsed time; later calls do nothing.</summary>
    public void Dispose()
    {
        if (_relay is null || _recorded)
        {
            return;
        }

        var elapsed = _clock!.GetElapsedTime(_start);
        _recorded = true;
        _relay.Record(_name!, elapsed.TotalSeconds, _tags);
    }
}
