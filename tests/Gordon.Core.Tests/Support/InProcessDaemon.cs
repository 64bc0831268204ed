using Gordon.Core.Hosting;

namespace Gordon.Core.Tests.Support;

/// <summary>The daemon host run in-process on a config root until disposed (SIGTERM's path: cancellation).</summary>
internal sealed class InProcessDaemon : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task<int> _run;

    private InProcessDaemon(CancellationTokenSource stop, Task<int> run, Uri address)
    {
        _stop = stop;
        _run = run;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<InProcessDaemon> StartAsync(string root, CancellationToken cancellationToken)
    {
        var stop = new CancellationTokenSource();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var error = new StringWriter();
        var host = new DaemonHost(root, strict: false, error, TimeProvider.System, _ => null);
        host.Listening += listening.SetResult;
        var run = host.RunAsync(stop.Token);
        var first = await Task.WhenAny(listening.Task, run).WaitAsync(cancellationToken);
        if (first == run)
        {
            Assert.Fail($"the daemon exited with {await run}: {error}");
        }

        return new InProcessDaemon(stop, run, await listening.Task);
    }

    /// <summary>Stops the daemon and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
