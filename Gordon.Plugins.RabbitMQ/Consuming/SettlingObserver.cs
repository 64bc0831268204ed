using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.RabbitMQ.Consuming;

/// <summary>
/// Turns the pipeline's verdict on one delivery into its ack (done) or nack without requeue (dead-lettered). A message
/// the router dead-lettered only because the daemon's drain deadline passed was not failed by anything: it is
/// requeued, so another daemon (or this one after its restart) handles it, instead of ending in the dead-letter exchange.
/// </summary>
/// <param name="session">The session whose channel delivered the message.</param>
/// <param name="deliveryTag">The delivery tag on that channel.</param>
internal sealed class SettlingObserver(ConsumerSession session, ulong deliveryTag) : IDeliveryObserver
{
    // The router's error type for what the drain deadline left (Gordon.Core Router.DrainTimeoutError), written first in
    // the detail of its dead-letter history entry.
    private const string DrainTimeout = "drain-timeout";

    /// <inheritdoc />
    public void OnDelivered(IEventMessage message, DeliveryOutcome outcome)
    {
        // Only queues a settlement for the session's one sender: quick, and it cannot throw.
        if (outcome == DeliveryOutcome.Done)
        {
            session.TrySettle(deliveryTag, Settlement.Ack, "done");
        }
        else if (LeftAtDrainDeadline(message))
        {
            session.TrySettle(deliveryTag, Settlement.Requeue, "drain_timeout");
        }
        else
        {
            session.TrySettle(deliveryTag, Settlement.Reject, "dead_lettered");
        }
    }

    private static bool LeftAtDrainDeadline(IEventMessage message)
    {
        var history = message.History;
        return history.Count > 0
            && history[^1] is { Outcome: HistoryOutcome.DeadLettered, Plugin: "router", Detail: { } detail }
            && detail.StartsWith(DrainTimeout, StringComparison.Ordinal);
    }
}
