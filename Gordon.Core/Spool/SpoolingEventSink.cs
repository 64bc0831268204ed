using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Core.Spool;

/// <summary>
/// What runnables emit into when the spool is on: a message is in the spool before the emit completes (so a
/// runnable acknowledges its source only for what survives a crash), and leaves it when the router finished it.
/// </summary>
internal sealed class SpoolingEventSink(IEventSink router, DurableSpool spool) : IEventSink
{
    public async ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default)
    {
        var sequence = await spool.AppendAsync(@event, cancellationToken).ConfigureAwait(false);
        try
        {
            await router.EmitAsync(@event, new SpoolAckObserver(spool, sequence, observer), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The source is told the message was refused and will send it again: keeping it would replay it twice.
            spool.Ack(sequence);
            throw;
        }
    }

    /// <summary>Re-injects a message a previous run left unfinished; on failure it stays in the spool for the next start.</summary>
    public ValueTask ReplayAsync(SpooledMessage message, CancellationToken cancellationToken) =>
        router.EmitAsync(message.Event, new SpoolAckObserver(spool, message.Sequence, inner: null), cancellationToken);

    private sealed class SpoolAckObserver(DurableSpool spool, long sequence, IDeliveryObserver? inner) : IDeliveryObserver
    {
        public void OnDelivered(IEventMessage message, DeliveryOutcome outcome)
        {
            // Done and dead-lettered are both final: the dead-letter file holds what did not get through.
            spool.Ack(sequence);
            inner?.OnDelivered(message, outcome);
        }
    }
}
