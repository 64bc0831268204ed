using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.RabbitMQ.Consuming;

/// <summary>Turns the pipeline's verdict on one delivery into its ack (done) or nack without requeue (dead-lettered).</summary>
/// <param name="session">The session whose channel delivered the message.</param>
/// <param name="deliveryTag">The delivery tag on that channel.</param>
internal sealed class SettlingObserver(ConsumerSession session, ulong deliveryTag) : IDeliveryObserver
{
    /// <inheritdoc />
    public void OnDelivered(IEventMessage message, DeliveryOutcome outcome)
    {
        // Only queues a settlement for the session's one sender: quick, and it cannot throw.
        if (outcome == DeliveryOutcome.Done)
        {
            session.TrySettle(deliveryTag, Settlement.Ack, "done");
        }
        else
        {
            session.TrySettle(deliveryTag, Settlement.Reject, "dead_lettered");
        }
    }
}
