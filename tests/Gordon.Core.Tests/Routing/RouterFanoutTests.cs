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

    [Test]
    [CancelAfter(10000)]
    public async Task Parallel_RetryingHandler_OthersOfThePhaseKeepTakingMessages(CancellationToken cancellationToken)
    {
        // The shape of a store whose server is down next to Prometheus: the store holds every message it is given.
        const int count = 6;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fastSawAll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fastCalls = 0;
        var fast = new RouterTestHandler((_, _, _) =>
        {
            if (Interlocked.Increment(ref fastCalls) == count)
            {
                fastSawAll.TrySetResult();
            }

            return ValueTask.CompletedTask;
        });
        var stalled = new RouterTestHandler(async (_, _, token) => await release.Task.WaitAsync(token));
        var observer = new RouterTestObserver(count);
        await using var harness = RouterHarness.Create(
            [new("store", "publish", stalled), new("prometheus", "publish", fast)],
            RouterHarness.FastOptions with { Capacity = 8 });

        for (var i = 0; i < count; i++)
        {
            await harness.Router.EmitAsync(RouterTestEvents.Create("m" + i), observer, cancellationToken);
        }

        // With one worker per phase, the stalled store used to hold the phase's only worker: the other saw one message.
        await fastSawAll.Task.WaitAsync(cancellationToken);
        Assert.That(stalled.TotalCalls, Is.EqualTo(1));
        Assert.That(observer.Count, Is.Zero, "a message moved on before the stalled handler finished it");

        release.SetResult();
        await observer.AllDelivered.WaitAsync(cancellationToken);
        Assert.That(observer.Deliveries.Select(d => d.Outcome), Is.All.EqualTo(DeliveryOutcome.Done));
        Assert.That(observer.Deliveries.Select(d => d.MessageId), Is.EquivalentTo(Enumerable.Range(0, count).Select(i => "m" + i)));
        Assert.That(harness.Router.InFlight, Is.Zero);
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Parallel_StalledHandlersLaneFull_HoldsThePhaseBack(CancellationToken cancellationToken)
    {
        const int capacity = 2;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fast = new RouterTestHandler();
        var stalled = new RouterTestHandler(async (_, _, token) => await release.Task.WaitAsync(token));
        var observer = new RouterTestObserver(20);
        await using var harness = RouterHarness.Create(
            [new("fast", "publish", fast), new("store", "publish", stalled)],
            RouterHarness.FastOptions with { Capacity = capacity });
        var emits = Task.Run(
            async () =>
            {
                for (var i = 0; i < 20; i++)
                {
                    await harness.Router.EmitAsync(RouterTestEvents.Create("m" + i), observer, cancellationToken);
                }
            },
            cancellationToken);

        // A bounded wait for something that must not happen: the fast handler running ahead without limit.
        await Task.WhenAny(emits, Task.Delay(300, cancellationToken));
        Assert.That(emits.IsCompleted, Is.False, "the emitters were never held back");

        // One message in the stalled handler, its lane full, and the one the phase worker waits to put in it.
        Assert.That(fast.TotalCalls, Is.InRange(capacity + 1, capacity + 2));
        Assert.That(harness.Router.QueueDepth("publish"), Is.GreaterThanOrEqualTo(capacity));

        release.SetResult();
        await emits;
        await observer.AllDelivered.WaitAsync(cancellationToken);
        Assert.That(fast.TotalCalls, Is.EqualTo(20));
        Assert.That(stalled.TotalCalls, Is.EqualTo(20));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Parallel_OneHandlerFailsForGood_IsDeadLetteredOnceAfterTheOthersFinished(CancellationToken cancellationToken)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowFinished = 0;
        var slow = new RouterTestHandler(async (_, _, token) =>
        {
            await release.Task.WaitAsync(token);
            Volatile.Write(ref slowFinished, 1);
        });
        var bad = new RouterTestHandler((_, _, _) => ValueTask.FromException(new PermanentFailureException("invalid")));
        var observer = new RouterTestObserver(1);
        await using var harness = RouterHarness.Create([new("slow", "publish", slow), new("bad", "publish", bad)]);

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await Task.WhenAny(observer.AllDelivered, Task.Delay(200, cancellationToken));
        Assert.That(observer.Count, Is.Zero, "the message left the phase while a handler still worked on it");
        release.SetResult();
        await observer.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(Volatile.Read(ref slowFinished), Is.EqualTo(1));
        Assert.That(observer.Deliveries.Single().Outcome, Is.EqualTo(DeliveryOutcome.DeadLettered));
        var record = (await harness.DeadLetters.ReadAllAsync(cancellationToken)).Single();
        Assert.That(record.MessageId, Is.EqualTo("m1"));
        Assert.That(record.Handler, Is.EqualTo("bad"));
        Assert.That(harness.Router.InFlight, Is.Zero);
    }

    [Test]
    [CancelAfter(10000)]
    public async Task HandlerConcurrency_GivesThatHandlerSeveralMessagesAtOnce_TheOthersOneAtATime(CancellationToken cancellationToken)
    {
        // A store that batches what arrives together next to Prometheus, which keeps order with one at a time.
        const int storeWorkers = 3;
        var storeStarted = 0;
        var allInStore = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new RouterTestHandler(async (_, _, _) =>
        {
            if (Interlocked.Increment(ref storeStarted) == storeWorkers)
            {
                allInStore.TrySetResult();
            }

            // Only completes if three calls run at once; one at a time, this hangs and the test times out.
            await allInStore.Task.WaitAsync(cancellationToken);
        });
        var running = 0;
        var mostAtOnce = 0;
        var ordered = new ConcurrentQueue<string>();
        var prometheus = new RouterTestHandler(async (message, _, _) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            ordered.Enqueue(message.MsgId);
            await Task.Yield();
            Interlocked.Decrement(ref running);
        });
        var observer = new RouterTestObserver(storeWorkers);
        await using var harness = RouterHarness.Create(
            [new("store", "publish", store), new("prometheus", "publish", prometheus)],
            RouterHarness.FastOptions with { Concurrency = new Dictionary<string, int> { ["store"] = storeWorkers } });

        for (var i = 0; i < storeWorkers; i++)
        {
            await harness.Router.EmitAsync(RouterTestEvents.Create("m" + i), observer, cancellationToken);
        }

        await observer.AllDelivered.WaitAsync(cancellationToken);
        Assert.That(Volatile.Read(ref mostAtOnce), Is.EqualTo(1));
        Assert.That(ordered, Is.EqualTo(new[] { "m0", "m1", "m2" }));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task HandlerConcurrency_AloneInItsPhase_GivesItSeveralMessagesAtOnce(CancellationToken cancellationToken)
    {
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new RouterTestHandler(async (_, _, _) =>
        {
            if (Interlocked.Increment(ref started) == 4)
            {
                allStarted.TrySetResult();
            }

            await allStarted.Task.WaitAsync(cancellationToken);
        });
        var observer = new RouterTestObserver(4);
        await using var harness = RouterHarness.Create(
            [new("store", "publish", store)],
            RouterHarness.FastOptions with { Concurrency = new Dictionary<string, int> { ["store"] = 4 } });

        for (var i = 0; i < 4; i++)
        {
            await harness.Router.EmitAsync(RouterTestEvents.Create("m" + i), observer, cancellationToken);
        }

        await observer.AllDelivered.WaitAsync(cancellationToken);
        Assert.That(observer.Deliveries.Select(d => d.Outcome), Is.All.EqualTo(DeliveryOutcome.Done));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
