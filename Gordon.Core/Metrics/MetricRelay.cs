using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gordon.Abstractions.Metrics;

namespace Gordon.Core.Metrics;

/// <summary>
/// The daemon's <see cref="IMetricRelay"/> on <c>System.Diagnostics.Metrics</c>: one <see cref="Meter"/>
/// named <c>Gordon</c>, with an instrument per metric name created on first use and cached, so any
/// exporter (Prometheus, OpenTelemetry, dotnet-counters) can read what the router and plugins record.
/// Counters are <see cref="Counter{T}"/> of long, gauges <see cref="Gauge{T}"/> of double, and timers and
/// observations <see cref="Histogram{T}"/> of double (seconds for timers).
/// </summary>
internal sealed class MetricRelay : IMetricRelay, IDisposable
{
    /// <summary>The meter name exporters subscribe to.</summary>
    public const string MeterName = "Gordon";

    private readonly TimeProvider _timeProvider;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly ConcurrentDictionary<string, Instrument> _instruments = new(MetricNameComparer.Instance);

    /// <summary>Creates the relay with its own meter.</summary>
    /// <param name="timeProvider">The clock timers measure with.</param>
    public MetricRelay(TimeProvider timeProvider)
        : this(timeProvider, meterFactory: null)
    {
    }

    /// <summary>Creates the relay with a meter from the host's factory (which then owns it).</summary>
    /// <param name="timeProvider">The clock timers measure with.</param>
    /// <param name="meterFactory">The host's meter factory, or null for a meter of the relay's own.</param>
    public MetricRelay(TimeProvider timeProvider, IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
    }

    /// <summary>The meter the instruments belong to.</summary>
    public Meter Meter => _meter;

    /// <inheritdoc />
    public void Increment(string name, long value, in TagList tags) =>
        Get<Counter<long>>(name, InstrumentKind.Counter).Add(value, tags);

    /// <inheritdoc />
    public void Set(string name, double value, in TagList tags) =>
        Get<Gauge<double>>(name, InstrumentKind.Gauge).Record(value, tags);

    /// <inheritdoc />
    public void Record(string name, double value, in TagList tags) =>
        Get<Histogram<double>>(name, InstrumentKind.Histogram).Record(value, tags);

    /// <inheritdoc />
    public MetricTimer Timer(string name, in TagList tags)
    {
        // Created here with its unit, so a timer's histogram says it is in seconds.
        Get<Histogram<double>>(name, InstrumentKind.Timer);
        return new MetricTimer(this, _timeProvider, name, tags);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private T Get<T>(string name, InstrumentKind kind)
        where T : Instrument
    {
        if (!_instruments.TryGetValue(name, out var instrument))
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            instrument = _instruments.GetOrAdd(name, static (n, state) => Create(state.Meter, n, state.Kind), (Meter: _meter, Kind: kind));
        }

        // One name is one instrument: recording a counter's name as a gauge is a bug in the caller.
        return instrument as T
            ?? throw new InvalidOperationException($"Metric '{name}' is a {Describe(instrument)}, not a {Describe(kind)}.");
    }

    private static Instrument Create(Meter meter, string name, InstrumentKind kind) => kind switch
    {
        InstrumentKind.Counter => meter.CreateCounter<long>(name),
        InstrumentKind.Gauge => meter.CreateGauge<double>(name),
        InstrumentKind.Timer => meter.CreateHistogram<double>(name, unit: "s"),
        _ => meter.CreateHistogram<double>(name),
    };

    private static string Describe(Instrument instrument) => instrument switch
    {
        Counter<long> => "counter",
        Gauge<double> => "gauge",
        _ => "histogram",
    };

    private static string Describe(InstrumentKind kind) => kind switch
    {
        InstrumentKind.Counter => "counter",
        InstrumentKind.Gauge => "gauge",
        _ => "histogram",
    };

    private enum InstrumentKind
    {
        Counter,
        Gauge,
        Histogram,
        Timer,
    }
}
