using Gordon.Abstractions.Commands;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Storage.Api;
using Gordon.Plugins.Storage.Batching;
using Gordon.Plugins.Storage.Commands;
using Gordon.Plugins.Storage.Model;
using Gordon.Plugins.Storage.Stores;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Storage;

/// <summary>
/// The Panko-style event store: records every event that reaches its phase (publish by default), in batches, and
/// serves the events back (the <c>/v2</c> API and the <c>gordon events</c> commands).
/// </summary>
[GordonPlugin("storage", Phase = "publish", Description = "Panko-style event store (SQLite, PostgreSQL, MariaDB) with the /v2 events API")]
public sealed partial class StoragePlugin : IMessageHandler, IHealthReporter, IHttpEndpoints, ICommandLinePlugin, IAsyncDisposable
{
    private readonly PluginContext _context;
    private readonly StorageSettings _settings;
    private readonly ApiSettings _api;
    private readonly bool? _listensBeyondLoopback;
    private readonly SemaphoreSlim _readyLock = new(1, 1);
    private IEventStore? _store;
    private EventBatcher? _batcher;
    private CancellationTokenSource? _expiryStop;
    private Task? _expiry;
    private volatile bool _ready;
    private volatile string? _problem;
    private int _stopped;

    /// <summary>Reads the <c>[storage]</c> table; nothing is opened before <see cref="StartAsync"/>.</summary>
    /// <param name="context">What the daemon hands every plugin.</param>
    public StoragePlugin(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _settings = StorageSettings.Read(context.Config, context.StateDirectory);
        _api = ApiSettings.Read(context.Config);
        _listensBeyondLoopback = DaemonListen.IsBeyondLoopback(context.Daemon);
        ConfigWarnings = DaemonListen.Warnings(_api, _listensBeyondLoopback);
        foreach (var warning in ConfigWarnings)
        {
            // A config warning is what `gordon validate` shows; the log line is for a daemon started without it.
            context.Config.AddWarning("api", warning);
            Log.ConfigWarning(context.Logger, warning);
        }

        var storage = new StorageCommandSet(this);
        Commands = [.. storage.Build(), new EventsCommandSet(storage).Build()];
    }

    /// <summary>
    /// What <c>gordon validate</c> warns about (the API reachable beyond loopback without tokens), recorded as config
    /// warnings and logged at construction.
    /// </summary>
    internal IReadOnlyList<string> ConfigWarnings { get; }

    internal ApiSettings Api => _api;

    /// <inheritdoc />
    public IReadOnlyList<PluginCommand> Commands { get; }

    internal StorageSettings Settings => _settings;

    internal PluginContext Context => _context;

    /// <summary>The running store; null before start.</summary>
    internal IEventStore? Store => _store;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var store = CreateStore();
        _store = store;
        _batcher = new EventBatcher(store.RecordEventsAsync, _settings.BatchSize, _settings.BatchWindow, _context.TimeProvider, OnBatch);
        try
        {
            await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not SchemaVersionException and not OperationCanceledException)
        {
            // The database may come back: events are retried by the router meanwhile, and health says why they fail.
            Log.StoreUnavailable(_context.Logger, store.Description, e.Message);
        }

        if (_settings.Ttl is { } ttl)
        {
            _expiryStop = new CancellationTokenSource();
            _expiry = ExpireLoopAsync(ttl, _expiryStop.Token);
        }
    }

    /// <inheritdoc />
    public async ValueTask HandleAsync(IEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var batcher = _batcher ?? throw new InvalidOperationException("The storage plugin is not started.");
        if (!_ready)
        {
            await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        }

        var result = await batcher.SubmitAsync(message.Data, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case RecordStatus.Invalid:
                throw new PermanentFailureException($"event '{result.MessageId}' cannot be stored: {result.Reason}");
            case RecordStatus.Failed:
                throw new StorageWriteException($"event '{result.MessageId}' was not stored: {result.Reason}");
        }
    }

    /// <inheritdoc />
    public void MapEndpoints(IEndpointRouteBuilder endpoints) =>
        new StorageApi(() => _store, _api, _listensBeyondLoopback, _context.LoggerFactory.CreateLogger("Gordon.Plugins.storage.Api"), _context.TimeProvider)
            .Map(endpoints);

    /// <inheritdoc />
    public PluginHealth GetHealth() => _problem is { } problem ? PluginHealth.Degraded(problem) : PluginHealth.Healthy;

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        if (_expiryStop is { } stop)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await _expiry!.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped while deleting: the next run carries on.
            }

            stop.Dispose();
        }

        if (_batcher is { } batcher)
        {
            await batcher.DisposeAsync().ConfigureAwait(false);
        }

        if (_store is { } store)
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _readyLock.Dispose();
    }

    /// <summary>A new store for the configured URL (commands open their own; the daemon's is made at start).</summary>
    internal IEventStore CreateStore() => EventStoreFactory.Create(_settings.Url, _context.TimeProvider, _context.LoggerFactory, _settings.SqliteSynchronous);

    private async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        await _readyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return;
            }

            try
            {
                var upgrade = await _store!.UpgradeAsync(cancellationToken).ConfigureAwait(false);
                Log.StoreReady(_context.Logger, _store.Description, upgrade.To, upgrade.From);
                _ready = true;
                _problem = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _problem = e is SchemaVersionException
                    ? e.Message
                    : $"database {_store!.Description} unreachable since {_context.TimeProvider.GetUtcNow():u}: {e.Message}; events are retried";
                throw;
            }
        }
        finally
        {
            _readyLock.Release();
        }
    }

    private void OnBatch(BatchReport report)
    {
        var metrics = _context.Metrics;
        metrics.Record("storage-batch-size", report.Count, default);
        metrics.Record("storage-batch-duration", report.Duration.TotalSeconds, default);
        if (report.Error is { } error)
        {
            metrics.Increment("storage-events-failed", report.Count, default);
            _problem ??= $"database {_store?.Description} failing since {_context.TimeProvider.GetUtcNow():u}: {error.Message}; events are retried";
            return;
        }

        long recorded = 0, duplicate = 0, invalid = 0, failed = 0;
        string? failure = null;
        foreach (var result in report.Results)
        {
            switch (result.Status)
            {
                case RecordStatus.Recorded:
                    recorded++;
                    break;
                case RecordStatus.Duplicate:
                    duplicate++;
                    break;
                case RecordStatus.Invalid:
                    invalid++;
                    break;
                default:
                    failed++;
                    failure ??= result.Reason;
                    break;
            }
        }

        Count(metrics, "storage-events-recorded", recorded);
        Count(metrics, "storage-events-duplicate", duplicate);
        Count(metrics, "storage-events-invalid", invalid);
        Count(metrics, "storage-events-failed", failed);
        if (failed > 0)
        {
            _problem ??= $"database {_store?.Description} failing since {_context.TimeProvider.GetUtcNow():u}: {failure}; events are retried";
        }
        else if (recorded + duplicate > 0 && _ready)
        {
            _problem = null;
        }

        static void Count(Abstractions.Metrics.IMetricRelay metrics, string name, long value)
        {
            if (value > 0)
            {
                metrics.Increment(name, value, default);
            }
        }
    }

    private async Task ExpireLoopAsync(TimeSpan ttl, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_settings.ExpireInterval, _context.TimeProvider);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var deleted = await _store!.ClearExpiredDataAsync(ttl, _settings.ExpireMaxCount, cancellationToken).ConfigureAwait(false);
                _context.Metrics.Increment("storage-events-expired", deleted, default);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next interval tries again; a dead database already shows in health through the writes.
                Log.ExpireFailed(_context.Logger, _store!.Description, e);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Event store {Store} ready (schema version {Version}, was {Previous})")]
        public static partial void StoreReady(ILogger logger, string store, int version, int previous);

        [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Event store {Store} not reachable at start ({Reason}); events are retried until it is")]
        public static partial void StoreUnavailable(ILogger logger, string store, string reason);

        [LoggerMessage(EventId = 9104, Level = LogLevel.Warning, Message = "{Warning}")]
        public static partial void ConfigWarning(ILogger logger, string warning);

        [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "Clearing expired events from {Store} failed")]
        public static partial void ExpireFailed(ILogger logger, string store, Exception exception);
    }
}
