using Gordon.Abstractions.Events;

namespace Gordon.Abstractions.Messaging;

/// <summary>Where runnables put the events they produce: the first phase of the route.</summary>
public interface IEventSink
{
    /// <summary>
    /// Enqueues an event. Waits while the first phase is full (backpressure), up to the configured
    /// enqueue timeout. When this returns, the message is in the pipeline.
    /// </summary>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="PipelineUnavailableException">The pipeline is full past the timeout, or stopping.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    ValueTask EmitAsync(Event @event, CancellationToken cancellationToken = default) =>
        EmitAsync(@event, observer: null, cancellationToken);

    /// <summary>
    /// Enqueues an event, and tells <paramref name="observer"/> when the message leaves the pipeline.
    /// </summary>
    /// <param name="event">The event.</param>
    /// <param name="observer">Told once when the message is done or dead-lettered; may be null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="PipelineUnavailableException">The pipeline is full past the timeout, or stopping.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default);
}
