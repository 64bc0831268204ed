using System.Collections.Concurrent;
using Gordon.Abstractions.Messaging;
using Gordon.Core.Routing;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Routing;

public sealed class RouterDeliveryTests
{
    [Test]
    [CancelAfter(10000)]
    public async Task Emit_NoHandlers_StandardPhasesPassTheMessageThrough(CancellationToken cancellationToken)
    {
        IReadOnlyList<HistoryEntry>? history = null;
        var observer = new CapturingObserver(m => history = m.History);
        await using var harness = RouterHarness.Create([]);

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await observer.Delivered.WaitAsync(cancellationToken);

        Assert.That(history!.Select(h => (h.Phase, h.Outcome)), Is.EqualTo(new[]
        {
            ("consume", HistoryOutcome.Emitted), ("consume", HistoryOutcome.Passed), ("enrich", HistoryOutcome.Passed),
            ("publish", HistoryOutcome.Passed), ("done", HistoryOutcome.Done),
        }));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task History_IsBounded_KeepingTheFirstEntryAndTheLatest(CancellationToken cancellationToken)
    {
        IReadOnlyList<HistoryEntry>? history = null;
        var observer = new CapturingObserver(m => history = m.History);
        var chatty = new RouterTestHandler((message, _, _) =>
        {
            for (var i = 0; i < 20; i++)
            {
                message.AppendToHistory(new HistoryEntry("enrich", "chatty", HistoryOutcome.Handled, DateTimeOffset.UnixEpoch, "note " + i));
            }

            return ValueTask.CompletedTask;
        });
        await using var harness = RouterHarness.Create([new("chatty", "enrich", chatty)], RouterHarness.FastOptions with { HistoryLimit = 4 });

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await observer.Delivered.WaitAsync(cancellationToken);

        Assert.That(history, Has.Count.EqualTo(4));
        Assert.That(history![0].Outcome, Is.EqualTo(HistoryOutcome.Emitted));
        Assert.That(history[1].Plugin, Is.EqualTo("chatty"));
        Assert.That(history[2], Has.Property("Phase").EqualTo("publish").And.Property("Outcome").EqualTo(HistoryOutcome.Passed));
        Assert.That(history[3].Outcome, Is.EqualTo(HistoryOutcome.Done));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Observer_IsCalledExactlyOncePerMessage_DoneOrDeadLettered(CancellationToken cancellationToken)
    {
        const int count = 40;
        var picky = new RouterTestHandler((message, _, _) =>
            int.Parse(message.MsgId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) % 2 == 0
                ? ValueTask.CompletedTask
                : ValueTask.FromException(new PermanentFailureException("odd")));
        var observer = new RouterTestObserver(count);
        await using var harness = RouterHarness.Create([new("picky", "publish", picky)]);

        for (var i = 0; i < count; i++)
        {
            await harness.Router.EmitAsync(RouterTestEvents.Create("m" + i), observer, cancellationToken);
        }

        await observer.AllDelivered.WaitAsync(cancellationToken);
        await harness.Router.DrainAsync(cancellationToken);

        var deliveries = observer.Deliveries;
        Assert.That(deliveries, Has.Count.EqualTo(count));
        Assert.That(deliveries.Select(d => d.MessageId).Distinct().Count(), Is.EqualTo(count));
        Assert.That(deliveries.Count(d => d.Outcome == DeliveryOutcome.Done), Is.EqualTo(count / 2));
        Assert.That(deliveries.Count(d => d.Outcome == DeliveryOutcome.DeadLettered), Is.EqualTo(count / 2));
        Assert.That(harness.DeadLetterLines(), Has.Length.EqualTo(count / 2));
    }

    [Test]
    [CancelAfter(30000)]
    public async Task TenThousandMessages_FourWorkersPerPhase_EachArrivesExactlyOnce(CancellationToken cancellationToken)
    {
        const int count = 10_000;
        var seen = new ConcurrentDictionary<string, int>();
        var publish = new RouterTestHandler((message, _, _) =>
        {
            seen.AddOrUpdate(message.MsgId, 1, (_, n) => n + 1);
            return ValueTask.CompletedTask;
        });
        var observer = new RouterTestObserver(count);
        var options = RouterHarness.FastOptions with
        {
            Capacity = 64,
            Concurrency = new Dictionary<string, int> { ["consume"] = 4, ["enrich"] = 4, ["publish"] = 4 },
        };
        await using var harness = RouterHarness.Create([new("out", "publish", publish)], options);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(producer => Task.Run(
            async () =>
            {
                for (var i = producer; i < count; i += 4)
                {
                    await harness.Router.EmitAsync(RouterTestEvents.Create("m" + i), observer, cancellationToken);
                }
            },
            cancellationToken)));
        await observer.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(seen, Has.Count.EqualTo(count));
        Assert.That(seen.Values, Is.All.EqualTo(1));
        Assert.That(observer.Deliveries.Select(d => d.MessageId).Distinct().Count(), Is.EqualTo(count));
        Assert.That(observer.Count, Is.EqualTo(count));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Metrics_UseGordonsNames_CountingMessagesNotHops(CancellationToken cancellationToken)
    {
        var bad = new RouterTestHandler((message, attempt, _) =>
            message.MsgId == "bad" ? ValueTask.FromException(new PermanentFailureException("no"))
            : attempt == 1 ? ValueTask.FromException(new InvalidOperationException("once"))
            : ValueTask.CompletedTask);
        var observer = new RouterTestObserver(2);
        await using var harness = RouterHarness.Create([new("out", "publish", bad)]);

        await harness.Router.EmitAsync(RouterTestEvents.Create("good"), observer, cancellationToken);
        await harness.Router.EmitAsync(RouterTestEvents.Create("bad"), observer, cancellationToken);
        await observer.AllDelivered.WaitAsync(cancellationToken);
        await harness.Router.DrainAsync(cancellationToken);

        var metrics = harness.Metrics;
        Assert.That(metrics.Sum("router-message-consumed"), Is.EqualTo(2), "consumed counts messages, not hops");
        Assert.That(metrics.Sum("router-message-done"), Is.EqualTo(1));
        Assert.That(metrics.Sum("router-message-dropped", "error", "PermanentFailureException"), Is.EqualTo(1));
        Assert.That(metrics.Sum("router-update-message-phase", "current", "consume"), Is.EqualTo(2));
        Assert.That(metrics.Sum("router-update-message-phase", "next", "done"), Is.EqualTo(1));
        Assert.That(metrics.Sum("router-handler-retried", "plugin", "out"), Is.EqualTo(1));
        Assert.That(metrics.Sum("router-handler-failed", "plugin", "out"), Is.EqualTo(1));
        Assert.That(metrics.Sum("router-handler-handled", "plugin", "out"), Is.EqualTo(1), "one success: the retried good message");
        Assert.That(metrics.Sum("router-dead-letters", "phase", "publish"), Is.EqualTo(1));
        var names = metrics.Calls.Select(c => (c.Kind, c.Name)).ToHashSet();
        Assert.That(names, Does.Contain(("set", "router-messages-in-flight")));
        Assert.That(names, Does.Contain(("set", "router-queue-depth")));
        Assert.That(names, Does.Contain(("record", "router-message-flight-duration")));
        Assert.That(names, Does.Contain(("record", "router-handler-duration")));
        Assert.That(metrics.Calls.Last(c => c.Name == "router-messages-in-flight").Value, Is.Zero);
    }

    private sealed class CapturingObserver(Action<IEventMessage> capture) : IDeliveryObserver
    {
        private readonly TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Delivered => _delivered.Task;

        public void OnDelivered(IEventMessage message, DeliveryOutcome outcome)
        {
            capture(message);
            _delivered.TrySetResult();
        }
    }
}
