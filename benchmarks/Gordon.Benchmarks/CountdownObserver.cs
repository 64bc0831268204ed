using Gordon.Abstractions.Messaging;

namespace Gordon.Benchmarks;

/// <summary>Completes a task when the expected number of messages has left the pipeline.</summary>
internal sealed class CountdownObserver : IDeliveryObserver
{
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;

    public Task Done => _done.Task;

    public void Reset(int expected)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, expected);
    }

    public void OnDelivered(IEventMessage message, DeliveryOutcome outcome)
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }
}
