using System.Collections.Concurrent;
using Gordon.Abstractions.Events;
using Gordon.Plugins.Storage.Batching;
using Gordon.Plugins.Storage.Model;
using Gordon.Plugins.Storage.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Storage.Tests.Batching;

[TestFixture]
public sealed class EventBatcherTests
{
    private readonly FakeTimeProvider _time = new();
    private ConcurrentQueue<int> _sizes = null!;
    private TaskCompletionSource _gate = null!;
    private int _writes;

    [SetUp]
    public void OpenGate()
    {
        _sizes = new ConcurrentQueue<int>();
        _writes = 0;
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate.SetResult();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task LoneEvent_IsWrittenAtOnceWithoutWaitingForTheWindow(CancellationToken cancellationToken)
    {
        await using var batcher = new EventBatcher(WriteAsync, 500, TimeSpan.FromHours(1), _time);

        var result = await batcher.SubmitAsync(FixtureS.Simple("a"), cancellationToken);

        Assert.That(result, Is.EqualTo(new RecordResult("a", RecordStatus.Recorded)));
        Assert.That(_sizes, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task EventsArrivingWhileABatchIsWritten_GoIntoTheNextBatchTogether(CancellationToken cancellationToken)
    {
        await using var batcher = new EventBatcher(WriteAsync, 500, TimeSpan.FromMilliseconds(50), _time);
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = batcher.SubmitAsync(FixtureS.Simple("first"), cancellationToken);
        await WaitForWritesAsync(1, cancellationToken);
        var rest = Enumerable.Range(0, 5).Select(i => batcher.SubmitAsync(FixtureS.Simple($"e{i}"), cancellationToken)).ToList();

        _gate.SetResult();
        var results = await Task.WhenAll(rest);
        await first;

        Assert.That(_sizes, Is.EqualTo(new[] { 1, 5 }));
        Assert.That(results.Select(r => r.MessageId), Is.EqualTo(Enumerable.Range(0, 5).Select(i => $"e{i}")), "each caller gets its own outcome");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task BatchSize_CapsEachTransaction(CancellationToken cancellationToken)
    {
        await using var batcher = new EventBatcher(WriteAsync, 4, TimeSpan.FromMilliseconds(50), _time);
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = batcher.SubmitAsync(FixtureS.Simple("first"), cancellationToken);
        await WaitForWritesAsync(1, cancellationToken);
        var rest = Enumerable.Range(0, 9).Select(i => batcher.SubmitAsync(FixtureS.Simple($"e{i}"), cancellationToken)).ToList();

        _gate.SetResult();
        await Task.WhenAll(rest);
        await first;

        Assert.That(_sizes.Sum(), Is.EqualTo(10));
        Assert.That(_sizes, Is.All.LessThanOrEqualTo(4));
        Assert.That(_sizes.Skip(1).Take(2), Is.All.EqualTo(4), "the queued events fill whole batches");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task StoreThrows_EveryCallerOfThatBatchGetsTheError(CancellationToken cancellationToken)
    {
        await using var batcher = new EventBatcher((_, _) => throw new IOException("disk gone"), 10, TimeSpan.Zero, _time);

        var ex = Assert.ThrowsAsync<IOException>(() => batcher.SubmitAsync(FixtureS.Simple("x"), cancellationToken));

        Assert.That(ex!.Message, Is.EqualTo("disk gone"));
        await Task.CompletedTask;
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Dispose_WritesWhatIsQueuedThenRefusesNewEvents(CancellationToken cancellationToken)
    {
        var batcher = new EventBatcher(WriteAsync, 500, TimeSpan.FromMilliseconds(50), _time);
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = batcher.SubmitAsync(FixtureS.Simple("first"), cancellationToken);
        await WaitForWritesAsync(1, cancellationToken);
        var queued = batcher.SubmitAsync(FixtureS.Simple("queued"), cancellationToken);

        var disposing = batcher.DisposeAsync().AsTask();
        _gate.SetResult();
        await disposing;

        Assert.That((await first).Status, Is.EqualTo(RecordStatus.Recorded));
        Assert.That((await queued).Status, Is.EqualTo(RecordStatus.Recorded));
        Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.SubmitAsync(FixtureS.Simple("late"), cancellationToken));
    }

    private async Task<IReadOnlyList<RecordResult>> WriteAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        await _gate.Task;
        _sizes.Enqueue(events.Count);
        return [.. events.Select(e => new RecordResult(e.MessageId, RecordStatus.Recorded))];
    }

    private async Task WaitForWritesAsync(int count, CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _writes) < count)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
