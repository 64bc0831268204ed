using Gordon.Abstractions.Plugins;
using Gordon.Core.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Core.Tests.Hosting;

public sealed class RunnableSupervisorTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task CrashingRunnable_ShowsFailed_ThenIsRestartedAfterBackoff(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        var status = new DaemonStatus();
        var runnable = new ScriptedRunnable(crashes: 1);
        var failures = new List<int>();
        var supervisor = new RunnableSupervisor([("r", runnable)], status, restart: true, strict: false, failures.Add, time, NullLogger.Instance);

        supervisor.Start();
        await runnable.WaitForRunsAsync(1, cancellationToken);
        await WaitForStateAsync(status, "r", PluginState.Failed, cancellationToken);
        Assert.That(status.Get("r")!.Detail, Does.Contain("boom 1"));

        // The supervisor arms its backoff timer just after it reports Failed: advancing once could come first
        // and be lost, so the clock moves on until the restart happens.
        while (runnable.Runs < 2)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5, cancellationToken);
        }

        await WaitForStateAsync(status, "r", PluginState.Running, cancellationToken);

        await supervisor.StopAsync(cancellationToken);
        Assert.That(status.Get("r")!.State, Is.EqualTo(PluginState.Stopped));
        Assert.That(failures, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Strict_CrashStopsTheDaemonWithExitCode1(CancellationToken cancellationToken)
    {
        var failed = new TaskCompletionSource<int>();
        var supervisor = new RunnableSupervisor(
            [("r", new ScriptedRunnable(crashes: 1))], new DaemonStatus(), restart: true, strict: true, code => failed.TrySetResult(code), new FakeTimeProvider(), NullLogger.Instance);

        supervisor.Start();

        Assert.That(await failed.Task.WaitAsync(cancellationToken), Is.EqualTo(1));
        await supervisor.StopAsync(cancellationToken);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RestartOff_LastRunnableGone_StopsTheDaemon_ButNotWhileOneIsLeft(CancellationToken cancellationToken)
    {
        var failed = new TaskCompletionSource<int>();
        var crashing = new ScriptedRunnable(crashes: 1);
        var healthy = new ScriptedRunnable(crashes: 0);
        var status = new DaemonStatus();
        var supervisor = new RunnableSupervisor(
            [("a", crashing), ("b", healthy)], status, restart: false, strict: false, code => failed.TrySetResult(code), new FakeTimeProvider(), NullLogger.Instance);

        supervisor.Start();
        await WaitForStateAsync(status, "a", PluginState.Failed, cancellationToken);
        await healthy.WaitForRunsAsync(1, cancellationToken);
        Assert.That(failed.Task.IsCompleted, Is.False);

        healthy.CrashNow();
        Assert.That(await failed.Task.WaitAsync(cancellationToken), Is.EqualTo(1));
        await supervisor.StopAsync(cancellationToken);
    }

    private static async Task WaitForStateAsync(DaemonStatus status, string name, PluginState state, CancellationToken cancellationToken)
    {
        while (status.Get(name)?.State != state)
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>Throws on its first <c>crashes</c> runs, then runs until cancelled (or told to crash).</summary>
    private sealed class ScriptedRunnable(int crashes) : IRunnable
    {
        private readonly TaskCompletionSource _crash = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _runs;

        public async Task WaitForRunsAsync(int runs, CancellationToken cancellationToken)
        {
            while (Volatile.Read(ref _runs) < runs)
            {
                await Task.Delay(5, cancellationToken);
            }
        }

        public int Runs => Volatile.Read(ref _runs);

        public void CrashNow() => _crash.TrySetResult();

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var run = Interlocked.Increment(ref _runs);
            if (run <= crashes)
            {
                throw new InvalidOperationException($"boom {run}");
            }

            await _crash.Task.WaitAsync(cancellationToken);
            throw new InvalidOperationException("crashed on request");
        }
    }
}
