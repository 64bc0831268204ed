using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Burrow.Webhook;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Burrow.Poller;

/// <summary>
/// The <c>burrow.poller</c> plugin: the pull alternative to the webhook. Every <c>interval</c> it reads each group's
/// <c>/lag</c> from Burrow's v3 API and emits the same <c>burrow.consumer_status</c> event, with every partition
/// (which notifications lack). Its table inherits <c>[burrow]</c>'s plain keys.
/// </summary>
[GordonPlugin("burrow.poller", Description = "Polls Burrow's v3 API (/v3/kafka/{c}/consumer/{g}/lag) and emits every group's full report")]
public sealed partial class BurrowPollerPlugin : IRunnable, IHealthReporter, IDisposable
{
    private readonly PluginContext _context;
    private readonly PollerSettings _settings;
    private readonly HttpMessageHandler? _handler;
    private BurrowApiClient? _api;
    private BurrowPoller? _poller;

    /// <summary>Reads <c>[burrow.poller]</c>; problems are recorded on the config reader and reported by the daemon.</summary>
    /// <param name="context">What the daemon hands every plugin.</param>
    public BurrowPollerPlugin(PluginContext context)
        : this(context, handler: null)
    {
    }

    // Tests may route the client through their own handler.
    internal BurrowPollerPlugin(PluginContext context, HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _handler = handler;
        _settings = PollerSettings.Read(context.Config);
        WebhookSettings.MarkInherited(context.Config);
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _api = new BurrowApiClient(_settings, _context.TimeProvider, _context.Logger, _handler);
        _poller = new BurrowPoller(_settings, _api, _context.Sink, _context.Metrics, _context.TimeProvider, _context.Logger);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var poller = _poller ?? throw new InvalidOperationException("StartAsync must run before RunAsync.");
        using var timer = new PeriodicTimer(_settings.Interval, _context.TimeProvider);
        try
        {
            do
            {
                try
                {
                    await poller.PollOnceAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Never fatal: the next tick polls again.
                    Log.PollFailed(_context.Logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <inheritdoc />
    public PluginHealth GetHealth() => _poller?.Health ?? PluginHealth.Healthy;

    /// <summary>Polls once (for tests and for a first poll outside the schedule).</summary>
    internal Task<PollSummary> PollOnceAsync(CancellationToken cancellationToken) =>
        (_poller ?? throw new InvalidOperationException("StartAsync must run first.")).PollOnceAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _api?.Dispose();
        _api = null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6221, Level = LogLevel.Error, Message = "A poll of Burrow failed unexpectedly; polling again next interval")]
        public static partial void PollFailed(ILogger logger, Exception exception);
    }
}
