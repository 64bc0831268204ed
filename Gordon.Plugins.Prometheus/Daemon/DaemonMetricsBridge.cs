using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>
/// Exports what the daemon records on <c>System.Diagnostics.Metrics</c>: the relay's meter (router, plugins) and
/// ASP.NET Core's and HttpClient's meters with the <c>gordon_</c> prefix, and the runtime's <c>System.Runtime</c> meter
/// under its conventional <c>dotnet_</c> names. It also feeds Karrot's reporter counters from the router's and the
/// CloudWatch plugin's metrics.
/// </summary>
/// <remarks>
/// Not prometheus-net's <c>MeterAdapter</c>: it exports counters as gauges, prefixes nothing and expires idle series,
/// where dashboards need stable names and counters that are counters.
/// </remarks>
internal sealed partial class DaemonMetricsBridge : IExportProblems, IDisposable
{
    /// <summary>The most label sets one instrument may have; a flood of tag values must not eat the memory.</summary>
    public const int MaxLabelSetsPerInstrument = 2_000;

    private const string DaemonPrefix = "gordon_";

    // Meters of the framework that belong to the daemon's own work: HTTP served and HTTP sent.
    private static readonly HashSet<string> DaemonMeters = new(StringComparer.Ordinal)
    {
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
    };

    // Tags an instrument is known to record only sometimes (a route only when one matched, an error type only on
    // failure): they are labels from the start, so a series never changes its label names.
    private static readonly Dictionary<string, string[]> KnownKeys = new(StringComparer.Ordinal)
    {
        ["http.server.request.duration"] =
            ["http.request.method", "http.response.status_code", "http.route", "url.scheme", "network.protocol.version", "error.type"],
        ["http.server.active_requests"] = ["http.request.method", "url.scheme"],
        ["http.client.request.duration"] =
            ["http.request.method", "http.response.status_code", "server.address", "server.port", "url.scheme", "network.protocol.version", "error.type"],
        [RouterMetricNames.HandlerDuration] = [RouterMetricNames.PluginTag, RouterMetricNames.PhaseTag],
    };

    // Instruments the runtime declares as observable counters though their value goes down (threads, queued items):
    // exported as counters they would stick at their highest value.
    private static readonly HashSet<string> GaugesDeclaredAsCounters = new(StringComparer.Ordinal)
    {
        "dotnet.thread_pool.thread.count",
        "dotnet.thread_pool.queue.length",
    };

    // Durations of the router's handlers are microseconds to seconds; the Prometheus default starts at 5 ms.
    private static readonly double[] SecondsBuckets =
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly IMetricFactory _factory;
    private readonly Meter? _daemonMeter;
    private readonly bool _daemonMetrics;
    private readonly bool _runtimeMetrics;
    private readonly ReporterEventCounts? _reporters;
    private readonly CloudWatchApiCounts? _cloudWatch;
    private readonly Counter.Child _refused;
    private readonly ILogger _logger;
    private readonly Dictionary<string, InstrumentExport> _exports = new(StringComparer.Ordinal);
    private readonly Lock _exportsLock = new();
    private MeterListener? _listener;

    /// <summary>Creates the bridge; <see cref="Start"/> begins listening.</summary>
    /// <param name="factory">The plugin registry's factory.</param>
    /// <param name="daemonMeter">The relay's meter, or null when the relay exposes none.</param>
    /// <param name="daemonMetrics">Export the daemon's metrics as <c>gordon_*</c>.</param>
    /// <param name="runtimeMetrics">Export the runtime's metrics.</param>
    /// <param name="reporters">Karrot's event counts, or null when Karrot's names are off.</param>
    /// <param name="cloudWatch">Karrot's CloudWatch call counts, or null when Karrot's names are off.</param>
    /// <param name="refused">Counts measurements dropped by <see cref="MaxLabelSetsPerInstrument"/>.</param>
    /// <param name="logger">Logs instruments that cannot be exported.</param>
    public DaemonMetricsBridge(
        IMetricFactory factory,
        Meter? daemonMeter,
        bool daemonMetrics,
        bool runtimeMetrics,
        ReporterEventCounts? reporters,
        CloudWatchApiCounts? cloudWatch,
        Counter.Child refused,
        ILogger logger)
    {
        _factory = factory;
        _daemonMeter = daemonMeter;
        _daemonMetrics = daemonMetrics;
        _runtimeMetrics = runtimeMetrics;
        _reporters = reporters;
        _cloudWatch = cloudWatch;
        _refused = refused;
        _logger = logger;
    }

    /// <summary>Starts listening; instruments that already exist are published to the listener at once.</summary>
    public void Start()
    {
        var listener = new MeterListener { InstrumentPublished = OnInstrumentPublished };
        listener.SetMeasurementEventCallback<long>(static (i, m, t, s) => Record(s, m, t));
        listener.SetMeasurementEventCallback<int>(static (i, m, t, s) => Record(s, m, t));
        listener.SetMeasurementEventCallback<short>(static (i, m, t, s) => Record(s, m, t));
        listener.SetMeasurementEventCallback<byte>(static (i, m, t, s) => Record(s, m, t));
        listener.SetMeasurementEventCallback<double>(static (i, m, t, s) => Record(s, m, t));
        listener.SetMeasurementEventCallback<float>(static (i, m, t, s) => Record(s, m, t));
        listener.SetMeasurementEventCallback<decimal>(static (i, m, t, s) => Record(s, (double)m, t));
        _listener = listener;
        listener.Start();
    }

    /// <summary>Reads the observable instruments and brings derived series up to date; called before every collection.</summary>
    public void Collect()
    {
        _listener?.RecordObservableInstruments();
        _reporters?.Flush();
    }

    /// <inheritdoc />
    void IExportProblems.Refused() => _refused.Inc();

    /// <inheritdoc />
    void IExportProblems.Failed(string metricName, Exception error) => Log.FamilyFailed(_logger, metricName, error.Message);

    /// <inheritdoc />
    public void Dispose()
    {
        _listener?.Dispose();
        _listener = null;
    }

    private static void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Never throw into the code that records (the router's workers): a failing export loses a sample, not a message.
        try
        {
            ((BridgedInstrument)state!).Record(value, tags);
        }
        catch (Exception)
        {
            // Swallowed on purpose: whatever goes wrong in an export must stay out of the recording thread.
        }
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        string prefix;
        bool export;
        MeasurementTap? tap = null;
        if (_daemonMeter is not null && ReferenceEquals(instrument.Meter, _daemonMeter))
        {
            prefix = DaemonPrefix;
            export = _daemonMetrics;
            tap = TapFor(instrument.Name);
        }
        else if (DaemonMeters.Contains(instrument.Meter.Name))
        {
            prefix = DaemonPrefix;
            export = _daemonMetrics;
        }
        else if (instrument.Meter.Name == "System.Runtime")
        {
            prefix = string.Empty;
            export = _runtimeMetrics;
        }
        else
        {
            return;
        }

        var fromRelay = _daemonMeter is not null && ReferenceEquals(instrument.Meter, _daemonMeter);
        var exported = export ? ExportFor(prefix, instrument, PrometheusNames.EffectiveUnit(instrument, fromRelay)) : null;
        if (exported is not null || tap is not null)
        {
            listener.EnableMeasurementEvents(instrument, new BridgedInstrument(exported, tap));
        }
    }

    private MeasurementTap? TapFor(string name) => name switch
    {
        RouterMetricNames.HandlerDuration when _reporters is not null => _reporters.OnAttempt,
        RouterMetricNames.Retried or RouterMetricNames.Failed when _reporters is not null => _reporters.OnUnsuccessful,
        RouterMetricNames.Handled when _reporters is not null => _reporters.OnHandled,
        RouterMetricNames.CloudWatchApiCalls when _cloudWatch is not null => _cloudWatch.OnApiCalls,
        _ => null,
    };

    private InstrumentExport? ExportFor(string prefix, Instrument instrument, string? unit)
    {
        var kind = Kind(instrument);
        if (kind is null)
        {
            return null;
        }

        var name = PrometheusNames.MetricName(prefix, instrument, unit, kind is ExportKind.Counter or ExportKind.ObservedCounter, kind is ExportKind.Histogram);
        lock (_exportsLock)
        {
            if (_exports.TryGetValue(name, out var existing))
            {
                // A new instance of the same instrument (a meter re-created on reload, a second web app): same family.
                if (existing.GetType() == TypeOf(kind.Value))
                {
                    return existing;
                }

                Log.NameClash(_logger, instrument.Meter.Name, instrument.Name, name);
                return null;
            }

            var help = PrometheusNames.Help(instrument.Description is { Length: > 0 } description
                ? description
                : $"{instrument.Meter.Name} {instrument.Name}" + (unit is { Length: > 0 } ? $" ({unit})" : string.Empty));
            var keys = KnownKeys.TryGetValue(instrument.Name, out var known) ? known : [];
            var scale = PrometheusNames.Scale(unit);
            InstrumentExport created = kind.Value switch
            {
                ExportKind.Counter => new CounterExport(_factory, name, help, keys, scale, MaxLabelSetsPerInstrument, this, observedTotals: false),
                ExportKind.ObservedCounter => new CounterExport(_factory, name, help, keys, scale, MaxLabelSetsPerInstrument, this, observedTotals: true),
                ExportKind.Gauge => new GaugeExport(_factory, name, help, keys, scale, MaxLabelSetsPerInstrument, this, increments: false),
                ExportKind.UpDownCounter => new GaugeExport(_factory, name, help, keys, scale, MaxLabelSetsPerInstrument, this, increments: true),
                _ => new HistogramExport(_factory, name, help, keys, scale, MaxLabelSetsPerInstrument, this, Buckets(instrument, unit, scale)),
            };
            _exports.Add(name, created);
            return created;
        }
    }

    private static Type TypeOf(ExportKind kind) => kind switch
    {
        ExportKind.Counter or ExportKind.ObservedCounter => typeof(CounterExport),
        ExportKind.Gauge or ExportKind.UpDownCounter => typeof(GaugeExport),
        _ => typeof(HistogramExport),
    };

    private static ExportKind? Kind(Instrument instrument)
    {
        if (!instrument.GetType().IsGenericType)
        {
            return null;
        }

        var definition = instrument.GetType().GetGenericTypeDefinition();
        if (definition == typeof(Counter<>))
        {
            return ExportKind.Counter;
        }

        if (definition == typeof(ObservableCounter<>))
        {
            return GaugesDeclaredAsCounters.Contains(instrument.Name) ? ExportKind.Gauge : ExportKind.ObservedCounter;
        }

        if (definition == typeof(UpDownCounter<>))
        {
            return ExportKind.UpDownCounter;
        }

        if (definition == typeof(Gauge<>) || definition == typeof(ObservableGauge<>) || definition == typeof(ObservableUpDownCounter<>))
        {
            return ExportKind.Gauge;
        }

        return definition == typeof(Histogram<>) ? ExportKind.Histogram : null;
    }

    private static double[]? Buckets(Instrument instrument, string? unit, double scale)
    {
        IEnumerable<double>? advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            _ => null,
        };
        if (advised is not null)
        {
            return [.. advised.Select(b => b * scale)];
        }

        // Null is prometheus-net's default, the Prometheus client default buckets.
        return scale != 1 || unit == "s" ? SecondsBuckets : null;
    }

    private enum ExportKind
    {
        Counter,
        ObservedCounter,
        Gauge,
        UpDownCounter,
        Histogram,
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Instrument {InstrumentName} of meter {MeterName} is not exported: its name {MetricName} is taken by another kind of metric")]
        public static partial void NameClash(ILogger logger, string meterName, string instrumentName, string metricName);

        [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Metric {MetricName} is not exported: {Reason}")]
        public static partial void FamilyFailed(ILogger logger, string metricName, string reason);
    }
}
