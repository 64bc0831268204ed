using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Prometheus.Configuration;
using Gordon.Plugins.Prometheus.Daemon;
using Gordon.Plugins.Prometheus.Diagnostics;
using Gordon.Plugins.Prometheus.Exposition;
using Gordon.Plugins.Prometheus.Lag;
using Gordon.Plugins.Prometheus.Push;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Gordon.Plugins.Prometheus;

/// <summary>
/// The <c>prometheus</c> publish handler: consumer-lag series from <c>burrow.consumer_status</c> events (Karrot's and
/// Burrow's exporter names), the daemon's own metrics, and process and runtime metrics, on <c>GET /metrics</c> of the
/// daemon's server or of a listener of its own, and optionally pushed to a Pushgateway. Metrics live in the plugin's own
/// prometheus-net registry (never the static default) and its own lag store, so a reload starts clean.
/// </summary>
[GordonPlugin("prometheus", Phase = "publish", Description = "Consumer lag and daemon metrics for Prometheus on /metrics, optionally pushed to a Pushgateway")]
public sealed partial class PrometheusPlugin : IMessageHandler, IHttpEndpoints, IHealthReporter, IAsyncDisposable
{
    private readonly PluginContext _context;
    private readonly PrometheusOptions _options;
    private readonly CollectorRegistry _registry;
    private readonly SelfMetrics _self;
    private readonly LagSeriesStore _store;
    private readonly DaemonMetricsBridge? _bridge;
    private readonly ExpositionWriter _writer;
    private readonly MetricsEndpoint _endpoint;
    private readonly PushgatewayPusher? _pusher;
    private System.Threading.ITimer? _sweeper;
    private MetricsListener? _listener;
    private long _lastWarningTicks = long.MinValue;

    /// <summary>Reads the <c>[prometheus]</c> table and builds the registry; nothing listens or pushes before <see cref="StartAsync"/>.</summary>
    /// <param name="context">What the daemon hands every plugin.</param>
    public PrometheusPlugin(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _options = PrometheusOptions.Read(context.Config, Environment.MachineName);
        _registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(_registry);
        _self = new SelfMetrics(factory, push: _options.PushUrl is not null);
        _store = new LagSeriesStore(_self, context.TimeProvider, _options.BurrowNames, _options.SeriesTtl, _options.MaxSeries);
        if (_options.DaemonMetrics || _options.RuntimeMetrics || _options.KarrotNames)
        {
            if (context.Metrics.Meter is null && (_options.DaemonMetrics || _options.KarrotNames))
            {
                Log.NoDaemonMeter(context.Logger);
            }

            _bridge = new DaemonMetricsBridge(
                factory,
                context.Metrics.Meter,
                _options.DaemonMetrics,
                _options.RuntimeMetrics,
                _options.KarrotNames ? new ReporterEventCounts(factory) : null,
                _options.KarrotNames ? new CloudWatchApiCounts(factory) : null,
                _self.RefusedDaemon,
                context.Logger);
        }

        if (_options.RuntimeMetrics)
        {
            // process_cpu_seconds_total, process_resident/working-set memory, open handles, start time: the names every
            // Prometheus dashboard expects; the runtime's own meter adds GC, JIT and thread-pool detail.
            DotNetStats.Register(_registry);
        }

        if (_bridge is { } bridge)
        {
            _registry.AddBeforeCollectCallback(bridge.Collect);
        }

        _writer = new ExpositionWriter(_store, new LagExpositionWriter(_store, context.TimeProvider, _options.KarrotNames, _options.BurrowNames), _registry);
        _endpoint = new MetricsEndpoint(_writer, _options.OpenMetrics, _options.Gzip);
        if (_options.PushUrl is { } pushUrl)
        {
            _pusher = new PushgatewayPusher(
                _writer, pushUrl, _options.PushJob, _options.PushInstance, _options.PushInterval, context.TimeProvider, _self, context.Logger);
        }
    }

    /// <summary>The plugin's prometheus-net registry (daemon, runtime and own metrics; not the lag series).</summary>
    internal CollectorRegistry Registry => _registry;

    /// <summary>Writes the whole exposition as <c>/metrics</c> serves it, for tests and benchmarks that read it without HTTP.</summary>
    internal ExpositionWriter Writer => _writer;

    /// <summary>The address of the plugin's own listener once started; null when metrics are served on the daemon's server.</summary>
    internal Uri? ListenerAddress => _listener?.Address;

    /// <summary>Groups plus partitions exported now (what <c>max_series</c> caps).</summary>
    internal int TrackedLabelSets => _store.Tracked;

    /// <summary>The lag series (tests and benchmarks).</summary>
    internal LagSeriesStore Store => _store;

    /// <summary>The push-mode worker, when <c>push_url</c> is set.</summary>
    internal PushgatewayPusher? Pusher => _pusher;

    /// <inheritdoc />
    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // With a listener of its own, the daemon's (often public) port does not serve metrics at all.
        if (_options.Listen is null)
        {
            endpoints.MapGet(_options.Path, _endpoint.HandleAsync).WithDisplayName("prometheus metrics");
        }
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _bridge?.Start();
        if (_options.SeriesTtl > TimeSpan.Zero)
        {
            // Scrapes sweep too; the timer bounds memory when nobody scrapes (push mode, a stopped Prometheus).
            var period = TimeSpan.FromTicks(Math.Clamp(_options.SeriesTtl.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
            _sweeper = _context.TimeProvider.CreateTimer(static state => ((LagSeriesStore)state!).Sweep(), _store, period, period);
        }

        if (_options.Listen is { } listen)
        {
            _listener = await MetricsListener.StartAsync(
                listen, _options.ListenOnLocalhost, _options.Path, _endpoint.HandleAsync, _context.LoggerFactory, cancellationToken).ConfigureAwait(false);
            Log.Listening(_context.Logger, new Uri(_listener.Address, _options.Path));
        }

        if (_pusher is not null)
        {
            _pusher.Start();
            Log.Pushing(_context.Logger, _pusher.Target, _options.PushInterval);
        }
    }

    /// <inheritdoc />
    public ValueTask HandleAsync(IEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var outcome = _store.Apply(message.Data);
        if (outcome is ApplyOutcome.NoGroup or ApplyOutcome.Refused && ShouldWarn())
        {
            if (outcome == ApplyOutcome.NoGroup)
            {
                Log.NoGroup(_context.Logger, message.MsgId);
            }
            else
            {
                Log.Refused(_context.Logger, message.MsgId, _options.MaxSeries);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public PluginHealth GetHealth()
    {
        if (_pusher?.LastError is { } pushError)
        {
            return PluginHealth.Degraded($"push to {_pusher.Target} failed: {pushError}");
        }

        return _store.IsFull
            ? PluginHealth.Degraded($"max_series ({_options.MaxSeries}) groups and partitions are exported: new ones are refused until series expire")
            : PluginHealth.Healthy;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_pusher is not null)
        {
            await _pusher.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_listener is not null)
        {
            await _listener.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_sweeper is not null)
        {
            await _sweeper.DisposeAsync().ConfigureAwait(false);
            _sweeper = null;
        }

        _bridge?.Dispose();
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
            _listener = null;
        }

        if (_pusher is not null)
        {
            await _pusher.DisposeAsync().ConfigureAwait(false);
        }
    }

    // One warning a minute at most: a flood of bad or refused events must not flood the log as well (the counters count them all).
    private bool ShouldWarn()
    {
        var now = _context.TimeProvider.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastWarningTicks);
        return (last == long.MinValue || now - last >= TimeSpan.TicksPerMinute) && Interlocked.CompareExchange(ref _lastWarningTicks, now, last) == last;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Event {MessageId} has no 'group' trait: no lag series updated (counted in gordon_prometheus_events_skipped_total)")]
        public static partial void NoGroup(ILogger logger, string messageId);

        [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Event {MessageId} not exported: max_series ({MaxSeries}) groups and partitions are exported already (counted in gordon_prometheus_series_refused_total)")]
        public static partial void Refused(ILogger logger, string messageId, int maxSeries);

        [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Serving metrics on {Url}")]
        public static partial void Listening(ILogger logger, Uri url);

        [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Pushing metrics to {Target} every {Interval}")]
        public static partial void Pushing(ILogger logger, Uri target, TimeSpan interval);

        [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "The daemon's metric relay has no meter: router and plugin metrics (gordon_*) and Karrot's reporter counters cannot be exported")]
        public static partial void NoDaemonMeter(ILogger logger);
    }
}
