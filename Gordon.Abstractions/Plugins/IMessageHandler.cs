using Gordon.Abstractions.Messaging;

namespace Gordon.Abstractions.Plugins;

/// <summary>A plugin that handles messages in one phase of the route (enrich, publish, …).</summary>
public interface IMessageHandler : IGenericPlugin
{
    /// <summary>
    /// Handles one message. Throwing is a failure: the router retries this handler alone with backoff,
    /// unless the exception is a <see cref="PermanentFailureException"/>. May be called concurrently when
    /// the phase has more than one worker.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancelled when the drain deadline passes.</param>
    ValueTask HandleAsync(IEventMessage message, CancellationToken cancellationToken);
}
