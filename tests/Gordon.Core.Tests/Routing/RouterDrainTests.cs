using Gordon.Abstractions.Messaging;
using Gordon.Core.Routing;
using Gordon.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Core.Tests.Routing;

public sealed class RouterDrainTests
{
    [Test]
    [CancelAfter(10000)]
    public async Task Drain_DeliversEveryMessageInFlight(CancellationToken cancellationToken)
    {
        const int count = 500;
        var slow = new RouterTestHandler(async (_, _, _) => await Task.Yield());
        var observer = new RouterTestObserver(count);
        await using var harness = RouterHarness.Create([new("slow", "enrich", slow)], RouterHarness.FastOptions with { Capacity = 16 });
        var emits = Task.Run(
            async () =>
            {
                for (var i = 0; i < count; i++)
                {
                    await harness.Router.EmitAsync(RouterTestEvents.Create("m" + i), observer, cancellationToken);
                }
            },
            cancellationToken);
        await emits;

        await harness.Router.DrainAsync(cancellationToken);

        Assert.That(observer.Count, Is.EqualTo(count));
        Assert.That(observer.Deliveries.Select(d => d.Outcome), Is.All.EqualTo(DeliveryOutcome.Done));
        Assert.That(observer.Deliveries.Select(d => d.MessageId).Distinct().Count(), Is.EqualTo(count));
        Assert.That(harness.DeadLetterLines(), Is.Empty);
        Assert.That(harness.Router.InFlight, Is.Zero);
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Drain_AtTheDeadline_LeftoversGoToTheDeadLetters([Values(1, 1024)] int capacity, CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerCancelled = false;
        var stuck = new RouterTestHandler(async (_, _, token) =>
        {
            inHandler.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                handlerCancelled = true;
                throw;
            }
        });
        var observer = new RouterTestObserver(5);
        await using var harness = RouterHarness.Create(
            [new("stuck", "publish", stuck)],
            RouterHarness.FastOptions with { DrainTimeout = TimeSpan.FromSeconds(30), Capacity = capacity },
            time);
        for (var i = 0; i < 5; i++)
        {
            await harness.Router.EmitAsync(RouterTestEvents.Create("m" + i), observer, cancellationToken);
        }

        await inHandler.Task.WaitAsync(cancellationToken);
        var drain = harness.Router.DrainAsync(cancellationToken);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.That(drain.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(1));
        await drain;

        Assert.That(handlerCancelled, Is.True);
        Assert.That(observer.Count, Is.EqualTo(5));
        Assert.That(observer.Deliveries.Select(d => d.Outcome), Is.All.EqualTo(DeliveryOutcome.DeadLettered));
        var records = await harness.DeadLetters.ReadAllAsync(cancellationToken);
        Assert.That(records.Select(r => r.MessageId), Is.EquivalentTo(new[] { "m0", "m1", "m2", "m3", "m4" }));
        Assert.That(records.Select(r => r.ErrorType), Is.All.EqualTo(Router.DrainTimeoutError));
        Assert.That(harness.Router.InFlight, Is.Zero);
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Emit_WhileDraining_ThrowsStopping(CancellationToken cancellationToken)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RouterTestHandler(async (_, _, _) =>
        {
            inHandler.TrySetResult();
            await release.Task;
        });
        var observer = new RouterTestObserver(1);
        await using var harness = RouterHarness.Create([new("slow", "publish", handler)]);
        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await inHandler.Task.WaitAsync(cancellationToken);

        var drain = harness.Router.DrainAsync(cancellationToken);

        Assert.That(harness.Router.IsAcceptingMessages, Is.False);
        var error = Assert.ThrowsAsync<PipelineUnavailableException>(
            async () => await harness.Router.EmitAsync(RouterTestEvents.Create("m2"), cancellationToken));
        Assert.That(error!.Reason, Is.EqualTo(PipelineUnavailableReason.Stopping));
        Assert.That(drain.IsCompleted, Is.False);
        release.SetResult();
        await drain;
        Assert.That(observer.Deliveries.Single(), Is.EqualTo(("m1", DeliveryOutcome.Done, "done")));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Drain_EmitterWaitingForRoom_GetsStopping(CancellationToken cancellationToken)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RouterTestHandler(async (_, _, _) =>
        {
            inHandler.TrySetResult();
            await release.Task;
        });
        await using var harness = RouterHarness.Create([new("slow", "consume", handler)], RouterHarness.FastOptions with { Capacity = 1 });
        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), cancellationToken);
        await inHandler.Task.WaitAsync(cancellationToken);
        await harness.Router.EmitAsync(RouterTestEvents.Create("m2"), cancellationToken);
        var waiting = harness.Router.EmitAsync(RouterTestEvents.Create("m3"), cancellationToken).AsTask();

        var drain = harness.Router.DrainAsync(cancellationToken);

        var error = Assert.ThrowsAsync<PipelineUnavailableException>(async () => await waiting);
        Assert.That(error!.Reason, Is.EqualTo(PipelineUnavailableReason.Stopping));
        release.SetResult();
        await drain;
        Assert.That(harness.Router.HandlerStats.Single().Handled, Is.EqualTo(2));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Drain_AtTheDeadline_MessagesWaitingInHandlerLanesAreDeadLetteredOnce(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = new RouterTestHandler(async (_, _, token) =>
        {
            inHandler.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
        });
        var fast = new RouterTestHandler();
        var observer = new RouterTestObserver(5);
        await using var harness = RouterHarness.Create(
            [new("stuck", "publish", stuck), new("fast", "publish", fast)],
            RouterHarness.FastOptions with { DrainTimeout = TimeSpan.FromSeconds(30), Capacity = 16 },
            time);
        for (var i = 0; i < 5; i++)
        {
            await harness.Router.EmitAsync(RouterTestEvents.Create("m" + i), observer, cancellationToken);
        }

        await inHandler.Task.WaitAsync(cancellationToken);
        var drain = harness.Router.DrainAsync(cancellationToken);
        time.Advance(TimeSpan.FromSeconds(30));
        await drain;

        Assert.That(observer.Count, Is.EqualTo(5));
        Assert.That(observer.Deliveries.Select(d => d.Outcome), Is.All.EqualTo(DeliveryOutcome.DeadLettered));
        var records = await harness.DeadLetters.ReadAllAsync(cancellationToken);
        Assert.That(records.Select(r => r.MessageId), Is.EquivalentTo(new[] { "m0", "m1", "m2", "m3", "m4" }));
        Assert.That(harness.Router.InFlight, Is.Zero);
    }
}
