namespace Gordon.Abstractions.Plugins;

/// <summary>
/// What every plugin has: a start and a stop. The host starts plugins in the order of
/// <c>[core] plugins</c> and stops them in reverse order after the pipeline has drained.
/// </summary>
public interface IGenericPlugin
{
    /// <summary>Prepares the plugin (open connections, create files). Runs before any message flows.</summary>
    /// <param name="cancellationToken">Cancelled when start-up is aborted.</param>
    Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Flushes and releases what the plugin holds. Runs after the pipeline has drained.</summary>
    /// <param name="cancellationToken">Cancelled when the stop deadline passes.</param>
    Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
