namespace Gordon.Abstractions.Messaging;

/// <summary>
/// Told when an emitted message leaves the pipeline, for sources that acknowledge upstream only
/// at the end of the route (a queue consumer, a durable spool).
/// </summary>
public interface IDeliveryObserver
{
    /// <summary>Called once per message, on the router's worker; keep it short and never throw.</summary>
    /// <param name="message">The message that left the pipeline.</param>
    /// <param name="outcome">Whether it reached the final phase or the dead letters.</param>
    void OnDelivered(IEventMessage message, DeliveryOutcome outcome);
}
