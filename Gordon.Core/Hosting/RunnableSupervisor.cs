using Gordon.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace Gordon.Core.Hosting;

/// <summary>
/// Runs every runnable and keeps it running: a runnable whose RunAsync throws (or returns before
/// the daemon stops) is shown as failed and restarted with capped backoff, unless restarts are off.
/// Gordon's original left a crashed runnable as a zombie; here the crash is visible, and under strict,
/// or when no runnable is left, the daemon stops with a non-zero exit code.
/// </summary>
internal sealed partial class RunnableSupervisor
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyList<(string Name, IRunnable Runnable)> _runnables;
    private readonly DaemonStatus _status;
    private readonly bool _restart;
    private readonly bool _strict;
    private readonly Action<int> _fail;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _tasks = [];
    private int _alive;

    // fail stops the daemon with the given exit code.
    public RunnableSupervisor(
        IReadOnlyList<(string Name, IRunnable Runnable)> runnables,
        DaemonStatus status,
        bool restart,
        bool strict,
        Action<int> fail,
        TimeProvider time,
        ILogger logger)
    {
        _runnables = runnables;
        _status = status;
        _restart = restart;
        _strict = strict;
        _fail = fail;
        _time = time;
        _logger = logger;
    }

    public void Start()
    {
        _alive = _runnables.Count;
        foreach (var (name, runnable) in _runnables)
        {
            _tasks.Add(Task.Run(() => SuperviseAsync(name, runnable, _stopping.Token)));
        }
    }

    /// <summary>Cancels every runnable and waits for them to return, up to <paramref name="cancellationToken"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.RunnablesDidNotStop(_logger);
        }
    }

    private async Task SuperviseAsync(string name, IRunnable runnable, CancellationToken stopping)
    {
        var backoff = FirstBackoff;
        while (!stopping.IsCancellationRequested)
        {
            _status.Set(name, PluginState.Running);
            string cause;
            try
            {
                await runnable.RunAsync(stopping).ConfigureAwait(false);
                if (stopping.IsCancellationRequested)
                {
                    break;
                }

                cause = "RunAsync returned while the daemon was running";
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                cause = $"{e.GetType().Name}: {e.Message}";
                Log.RunnableCrashed(_logger, name, e);
            }

            _status.Set(name, PluginState.Failed, cause);
            if (_strict)
            {
                Log.StrictStop(_logger, name);
                _fail(Cli.ExitCodes.Failure);
                return;
            }

            if (!_restart)
            {
                if (Interlocked.Decrement(ref _alive) == 0)
                {
                    Log.NoRunnableLeft(_logger);
                    _fail(Cli.ExitCodes.Failure);
                }

                return;
            }

            Log.Restarting(_logger, name, backoff);
            try
            {
                await Task.Delay(backoff, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            _status.Set(name, PluginState.Restarting, cause);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }

        _status.Set(name, PluginState.Stopped);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Runnable {Plugin} crashed")]
        public static partial void RunnableCrashed(ILogger logger, string plugin, Exception exception);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Restarting runnable {Plugin} in {Delay}")]
        public static partial void Restarting(ILogger logger, string plugin, TimeSpan delay);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Critical, Message = "Runnable {Plugin} failed and [core] strict is on: stopping the daemon")]
        public static partial void StrictStop(ILogger logger, string plugin);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Critical, Message = "No runnable is left (restart_runnables is off): stopping the daemon")]
        public static partial void NoRunnableLeft(ILogger logger);

        [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Some runnables did not return before the drain deadline")]
        public static partial void RunnablesDidNotStop(ILogger logger);
    }
}
