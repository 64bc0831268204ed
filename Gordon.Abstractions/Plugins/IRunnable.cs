namespace Gordon.Abstractions.Plugins;

/// <summary>
/// A plugin that produces messages (a webhook, a poller, a collector) and emits them through
/// <see cref="PluginContext.Sink"/>.
/// </summary>
public interface IRunnable : IGenericPlugin
{
    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled. Returning early or throwing is a
    /// crash: the host restarts the runnable with backoff when <c>[core] restart_runnables</c> is on.
    /// </summary>
    /// <param name="cancellationToken">Cancelled when the daemon stops accepting input.</param>
    Task RunAsync(CancellationToken cancellationToken);
}
