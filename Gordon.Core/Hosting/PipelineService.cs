using Gordon.Core.Plugins;
using Gordon.Core.Spool;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Gordon.Core.Hosting;

/// <summary>
/// Starts and stops the pipeline with the host: router workers, then plugins in configured order,
/// then runnables; on stop, runnables first, then the router drains while the HTTP server still
/// answers (so /health says 503 during the drain), then plugins stop in reverse order.
/// </summary>
internal sealed partial class PipelineService : IHostedLifecycleService
{
    private readonly RunningPipeline _pipeline;
    private readonly DaemonStatus _status;
    private readonly DaemonExit _exit;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ISystemdNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly ILogger<PipelineService> _logger;
    private SpoolingEventSink? _spoolSink;
    private readonly List<ActivePlugin> _started = [];
    private RunnableSupervisor? _supervisor;

    public PipelineService(
        RunningPipeline pipeline,
        DaemonStatus status,
        DaemonExit exit,
        IHostApplicationLifetime lifetime,
        ISystemdNotifier notifier,
        TimeProvider time,
        ILogger<PipelineService> logger)
    {
        _pipeline = pipeline;
        _status = status;
        _exit = exit;
        _lifetime = lifetime;
        _notifier = notifier;
        _time = time;
        _logger = logger;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var blueprint = _pipeline.Blueprint;
        Directory.CreateDirectory(blueprint.Config.Core.StateDir);
        _pipeline.Router.Start();
        if (_pipeline.Spool is { } opened)
        {
            _spoolSink = new SpoolingEventSink(_pipeline.Router, opened.Spool, _logger, _time);
            blueprint.Sink.Attach(_spoolSink);
        }
        else
        {
            blueprint.Sink.Attach(_pipeline.Router);
        }

        foreach (var plugin in blueprint.Plugins)
        {
            var name = plugin.Descriptor.Name;
            _status.Set(name, PluginState.Starting);
            try
            {
                await plugin.Lifecycle.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _status.Set(name, PluginState.Failed, e.Message);
                Log.PluginStartFailed(_logger, name, e);
                _exit.Fail(Cli.ExitCodes.Failure);
                throw;
            }

            _started.Add(plugin);
            _status.Set(name, PluginState.Running);
        }

        if (_spoolSink is not null && _pipeline.Spool is { Unfinished.Count: > 0 } left)
        {
            // Queued before the runnables start, so what the last run accepted is not overtaken by new messages;
            // queued, not awaited, so a backlog larger than the router's channels does not hold start-up.
            foreach (var message in left.Unfinished)
            {
                _spoolSink.Replay(message);
            }
        }

        var runnables = blueprint.Plugins
            .Where(p => p.Runnable is not null)
            .Select(p => (p.Descriptor.Name, p.Runnable!))
            .ToList();
        _supervisor = new RunnableSupervisor(
            runnables,
            _status,
            blueprint.Config.Core.RestartRunnables,
            blueprint.Strict,
            code =>
            {
                _exit.Fail(code);
                _lifetime.StopApplication();
            },
            _time,
            _logger);
        _supervisor.Start();
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _status.State = DaemonState.Running;
        Log.Started(_logger, _pipeline.Blueprint.Plugins.Count);
        if (!SystemdHelpers.IsSystemdService())
        {
            // Under systemd, AddSystemd's lifetime sends READY=1 itself; elsewhere (a supervisor that
            // passes NOTIFY_SOCKET, or a test) we send it once every plugin has started.
            _notifier.Notify(new ServiceState("READY=1"));
        }

        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _status.State = DaemonState.Draining;
        if (!SystemdHelpers.IsSystemdService())
        {
            _notifier.Notify(new ServiceState("STOPPING=1"));
        }

        Log.Draining(_logger);
        var options = _pipeline.Blueprint.RouterOptions;
        using var deadline = new CancellationTokenSource(options.DrainTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        if (_supervisor is not null)
        {
            await _supervisor.StopAsync(linked.Token).ConfigureAwait(false);
        }

        if (_spoolSink is not null)
        {
            // What still waits in the spool for room stays there for the next start rather than racing the drain.
            await _spoolSink.DisposeAsync().ConfigureAwait(false);
        }

        await _pipeline.Router.DrainAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            var plugin = _started[i];
            var name = plugin.Descriptor.Name;
            _status.Set(name, PluginState.Stopping);
            try
            {
                await plugin.Lifecycle.StopAsync(cancellationToken).ConfigureAwait(false);
                _status.Set(name, PluginState.Stopped);
            }
            catch (Exception e)
            {
                _status.Set(name, PluginState.Failed, e.Message);
                Log.PluginStopFailed(_logger, name, e);
            }

            // A reload builds new instances; the old ones must let go of their timers, sockets and files.
            try
            {
                await PluginDisposal.DisposeAsync(plugin.Instance).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.PluginStopFailed(_logger, name, e);
            }
        }

        await _pipeline.Router.DisposeAsync().ConfigureAwait(false);
        if (_pipeline.Spool is { } opened)
        {
            await opened.Spool.DisposeAsync().ConfigureAwait(false);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _status.State = DaemonState.Stopped;
        Log.Stopped(_logger);
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Gordon started with {Count} plugins")]
        public static partial void Started(ILogger logger, int count);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Draining: runnables stop, then the phases empty")]
        public static partial void Draining(ILogger logger);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Gordon stopped")]
        public static partial void Stopped(ILogger logger);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Critical, Message = "Plugin {Plugin} failed to start")]
        public static partial void PluginStartFailed(ILogger logger, string plugin, Exception exception);

        [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "Plugin {Plugin} failed to stop cleanly")]
        public static partial void PluginStopFailed(ILogger logger, string plugin, Exception exception);
    }
}
