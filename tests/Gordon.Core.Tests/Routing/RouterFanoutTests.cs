using System.Collections.Concurrent;
using Gordon.Abstractions.Messaging;
using Gordon.Core.Routing;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Routing;

public sealed class RouterFanoutTests
{
    [Test]
    [CancelAfter(10000)]
    public async Task Fanout_OneHandlerFails_IsRetriedAloneAndOthersAreNotRerun(CancellationToken cancellationToken)
    {
        var first = new RouterTestHandler();
        var flaky = new RouterTestHandler((_, attempt, _) =>
            attempt <= 2 ? ValueTask.FromException(new InvalidOperationException("flaky")) : ValueTask.CompletedTask);
        var third = new RouterTestHandler();
        var observer = new RouterTestObserver(1);
        await using var harness = RouterHarness.Create(
        [
            new("first", "publish", first), new("flaky", "publish", flaky), new("third", "publish", third),
        ]);

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await observer.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(observer.Deliveries.Single().Outcome, Is.EqualTo(DeliveryOutcome.Done));
        Assert.That(first.CallsFor("m1"), Is.EqualTo(1));
        Assert.That(flaky.CallsFor("m1"), Is.EqualTo(3));
        Assert.That(third.CallsFor("m1"), Is.EqualTo(1));
        var stats = harness.Router.HandlerStats.Single(s => s.PluginName == "flaky");
        Assert.That(stats, Is.EqualTo(new HandlerStats("flaky", "publish", Handled: 1, Failed: 0, Retried: 2)));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Fanout_MessageMovesOn_OnlyAfterEveryHandlerSucceeded(CancellationToken cancellationToken)
    {
        var slowRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publishCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fastDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowFinished = 0;
        var publishSawSlowFinished = -1;
        var fast = new RouterTestHandler((_, _, _) =>
        {
            fastDone.TrySetResult();
            return ValueTask.CompletedTask;
        });
        var slow = new RouterTestHandler(async (_, _, _) =>
        {
            // Wakes when the test releases it, or at once if the router wrongly moved the message on.
            await Task.WhenAny(slowRelease.Task, publishCalled.Task);
            Volatile.Write(ref slowFinished, 1);
        });
        var publish = new RouterTestHandler((_, _, _) =>
        {
            publishSawSlowFinished = Volatile.Read(ref slowFinished);
            publishCalled.TrySetResult();
            return ValueTask.CompletedTask;
        });
        var observer = new RouterTestObserver(1);
        await using var harness = RouterHarness.Create(
            [new("fast", "enrich", fast), new("slow", "enrich", slow), new("out", "publish", publish)]);

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await fastDone.Task.WaitAsync(cancellationToken);

        // A bounded wait for something that must not happen: publish running while 'slow' still works.
        await Task.WhenAny(publishCalled.Task, Task.Delay(200, cancellationToken));
        Assert.That(publishCalled.Task.IsCompleted, Is.False, "the message moved on before every enrich handler succeeded");
        slowRelease.SetResult();
        await observer.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(publishSawSlowFinished, Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Fanout_Parallel_RunsTheHandlersAtOnce(CancellationToken cancellationToken)
    {
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask WaitForAll(IEventMessage message, int attempt, CancellationToken token)
        {
            if (Interlocked.Increment(ref started) == 3)
            {
                allStarted.TrySetResult();
            }

            // Only completes if all three run concurrently; run one by one, this hangs and the test times out.
            await allStarted.Task.WaitAsync(cancellationToken);
        }

        var observer = new RouterTestObserver(1);
        await using var harness = RouterHarness.Create(
        [
            new("a", "publish", new RouterTestHandler(WaitForAll)),
            new("b", "publish", new RouterTestHandler(WaitForAll)),
            new("c", "publish", new RouterTestHandler(WaitForAll)),
        ]);

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await observer.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(observer.Deliveries.Single().Outcome, Is.EqualTo(DeliveryOutcome.Done));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Fanout_Ordered_RunsTheHandlersOneAfterAnotherInConfiguredOrder(CancellationToken cancellationToken)
    {
        var log = new ConcurrentQueue<string>();
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new RouterTestHandler(async (_, _, _) =>
        {
            log.Enqueue("first-start");

            // Wakes at once if the router wrongly starts the second handler while this one runs.
            await Task.WhenAny(secondStarted.Task, Task.Delay(100, cancellationToken));
            log.Enqueue("first-end");
        });
        var second = new RouterTestHandler(async (_, _, _) =>
        {
            log.Enqueue("second-start");
            secondStarted.TrySetResult();
            await Task.Yield();
            log.Enqueue("second-end");
        });
        var third = new RouterTestHandler((_, _, _) =>
        {
            log.Enqueue("third");
            return ValueTask.CompletedTask;
        });
        var observer = new RouterTestObserver(1);
        await using var harness = RouterHarness.Create(
            [new("first", "publish", first), new("second", "publish", second), new("third", "publish", third)],
            RouterHarness.FastOptions with { Fanout = FanoutMode.Ordered });

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await observer.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(log, Is.EqualTo(new[] { "first-start", "first-end", "second-start", "second-end", "third" }));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Ordered_HandlerFailsForGood_LaterHandlersDoNotRun(CancellationToken cancellationToken)
    {
        var later = new RouterTestHandler();
        var observer = new RouterTestObserver(1);
        await using var harness = RouterHarness.Create(
        [
            new("bad", "publish", new RouterTestHandler((_, _, _) => ValueTask.FromException(new PermanentFailureException("invalid")))),
            new("later", "publish", later),
        ],
            RouterHarness.FastOptions with { Fanout = FanoutMode.Ordered });

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await observer.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(observer.Deliveries.Single().Outcome, Is.EqualTo(DeliveryOutcome.DeadLettered));
        Assert.That(later.TotalCalls, Is.Zero);
    }

    [Test]
    [CancelAfter(10000)]
    public async Task PermanentFailure_SkipsTheRetries(CancellationToken cancellationToken)
    {
        var bad = new RouterTestHandler((_, _, _) => throw new PermanentFailureException("not a valid event"));
        var observer = new RouterTestObserver(1);
        await using var harness = RouterHarness.Create([new("bad", "enrich", bad)]);

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await observer.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(bad.CallsFor("m1"), Is.EqualTo(1));
        Assert.That(observer.Deliveries.Single().Outcome, Is.EqualTo(DeliveryOutcome.DeadLettered));
        Assert.That(harness.Router.HandlerStats.Single(), Is.EqualTo(new HandlerStats("bad", "enrich", 0, 1, 0)));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Retries_AreSpentAfterMaxAttempts_ThenTheMessageIsDeadLettered(CancellationToken cancellationToken)
    {
        var bad = new RouterTestHandler((_, _, _) => ValueTask.FromException(new InvalidOperationException("boom")));
        var observer = new RouterTestObserver(1);
        await using var harness = RouterHarness.Create([new("bad", "enrich", bad)], RouterHarness.FastOptions with { MaxAttempts = 3 });

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await observer.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(bad.CallsFor("m1"), Is.EqualTo(3));
        Assert.That(observer.Deliveries.Single().Outcome, Is.EqualTo(DeliveryOutcome.DeadLettered));
        Assert.That(harness.Router.HandlerStats.Single(), Is.EqualTo(new HandlerStats("bad", "enrich", 0, 1, 2)));
    }
}
