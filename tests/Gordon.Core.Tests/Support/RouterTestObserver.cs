using System.Collections.Concurrent;
using Gordon.Abstractions.Messaging;

namespace Gordon.Core.Tests.Support;

/// <summary>Records every delivery and completes <see cref="AllDelivered"/> when the expected count is reached.</summary>
internal sealed class RouterTestObserver(int expected) : IDeliveryObserver
{
    private readonly ConcurrentQueue<(string MessageId, DeliveryOutcome Outcome, string Phase)> _deliveries = new();
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public Task AllDelivered => _all.Task;

    public IReadOnlyList<(string MessageId, DeliveryOutcome Outcome, string Phase)> Deliveries => [.. _deliveries];

    public int Count => Volatile.Read(ref _count);

    public void OnDelivered(IEventMessage message, DeliveryOutcome outcome)
    {
        _deliveries.Enqueue((message.MsgId, outcome, message.Phase));
        if (Interlocked.Increment(ref _count) >= expected)
        {
            _all.TrySetResult();
        }
    }
}
