using Gordon.Abstractions.Messaging;
using Gordon.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Core.Tests.Routing;

public sealed class RouterBackpressureTests
{
    [Test]
    [CancelAfter(10000)]
    public async Task Emit_FullChannel_WaitsUntilRoomThenDelivers(CancellationToken cancellationToken)
    {
        var (handler, inHandler, release) = BlockingHandler();
        var observer = new RouterTestObserver(3);
        await using var harness = RouterHarness.Create([new("slow", "consume", handler)], RouterHarness.FastOptions with { Capacity = 1 });

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await inHandler.Task.WaitAsync(cancellationToken);
        await harness.Router.EmitAsync(RouterTestEvents.Create("m2"), observer, cancellationToken);
        var third = harness.Router.EmitAsync(RouterTestEvents.Create("m3"), observer, cancellationToken).AsTask();

        Assert.That(third.IsCompleted, Is.False, "the channel is full: the emit must wait");
        Assert.That(harness.Router.QueueDepth("consume"), Is.EqualTo(1));
        release.SetResult();
        await third;
        await observer.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(observer.Deliveries.Select(d => d.MessageId), Is.EquivalentTo(new[] { "m1", "m2", "m3" }));
        Assert.That(observer.Deliveries.Select(d => d.Outcome), Is.All.EqualTo(DeliveryOutcome.Done));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Emit_FullPastTheEnqueueTimeout_ThrowsFull_AndLosesNothingAccepted(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var (handler, inHandler, release) = BlockingHandler();
        var observer = new RouterTestObserver(2);
        await using var harness = RouterHarness.Create(
            [new("slow", "consume", handler)],
            RouterHarness.FastOptions with { Capacity = 1, EnqueueTimeout = TimeSpan.FromSeconds(5) },
            time);

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await inHandler.Task.WaitAsync(cancellationToken);
        await harness.Router.EmitAsync(RouterTestEvents.Create("m2"), observer, cancellationToken);
        var third = harness.Router.EmitAsync(RouterTestEvents.Create("m3"), observer, cancellationToken).AsTask();
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.That(third.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(1));

        var error = Assert.ThrowsAsync<PipelineUnavailableException>(async () => await third);
        Assert.That(error!.Reason, Is.EqualTo(PipelineUnavailableReason.Full));
        release.SetResult();
        await observer.AllDelivered.WaitAsync(cancellationToken);
        Assert.That(observer.Deliveries.Select(d => d.MessageId), Is.EquivalentTo(new[] { "m1", "m2" }));
        Assert.That(harness.Router.InFlight, Is.Zero);
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Emit_Cancelled_WhileWaitingForRoom_ThrowsAndIsNotCounted(CancellationToken cancellationToken)
    {
        var (handler, inHandler, release) = BlockingHandler();
        await using var harness = RouterHarness.Create([new("slow", "consume", handler)], RouterHarness.FastOptions with { Capacity = 1 });
        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), cancellationToken);
        await inHandler.Task.WaitAsync(cancellationToken);
        await harness.Router.EmitAsync(RouterTestEvents.Create("m2"), cancellationToken);
        using var cancel = new CancellationTokenSource();

        var third = harness.Router.EmitAsync(RouterTestEvents.Create("m3"), cancel.Token).AsTask();
        await cancel.CancelAsync();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await third);
        Assert.That(harness.Router.InFlight, Is.EqualTo(2));
        release.SetResult();
    }

    private static (RouterTestHandler Handler, TaskCompletionSource InHandler, TaskCompletionSource Release) BlockingHandler()
    {
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RouterTestHandler(async (_, _, _) =>
        {
            inHandler.TrySetResult();
            await release.Task;
        });
        return (handler, inHandler, release);
    }
}
