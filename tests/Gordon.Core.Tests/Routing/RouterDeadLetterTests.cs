using System.Collections.Concurrent;
using System.Text.Json;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Core.Routing;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Routing;

public sealed class RouterDeadLetterTests
{
    [Test]
    [CancelAfter(10000)]
    public async Task DeadLetter_IsOneJsonLineWithEventHistoryAndError(CancellationToken cancellationToken)
    {
        var bad = new RouterTestHandler((_, _, _) => ValueTask.FromException(new InvalidOperationException("boom")));
        var observer = new RouterTestObserver(1);
        await using var harness = RouterHarness.Create([new("bad", "publish", bad)], RouterHarness.FastOptions with { MaxAttempts = 2 });

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await observer.AllDelivered.WaitAsync(cancellationToken);

        var lines = harness.DeadLetterLines();
        Assert.That(lines, Has.Length.EqualTo(1));
        using var json = JsonDocument.Parse(lines[0]);
        var root = json.RootElement;
        Assert.That(root.GetProperty("message_id").GetString(), Is.EqualTo("m1"));
        Assert.That(root.GetProperty("phase").GetString(), Is.EqualTo("publish"));
        Assert.That(root.GetProperty("handler").GetString(), Is.EqualTo("bad"));
        Assert.That(root.GetProperty("error").GetProperty("type").GetString(), Is.EqualTo("InvalidOperationException"));
        Assert.That(root.GetProperty("error").GetProperty("message").GetString(), Is.EqualTo("boom"));
        Assert.That(root.TryGetProperty("time", out _), Is.True);
        var @event = root.GetProperty("event");
        Assert.That(@event.GetProperty("event_type").GetString(), Is.EqualTo("test.event"));
        Assert.That(@event.GetProperty("traits")[1].GetProperty("value").GetInt64(), Is.EqualTo(42));
        Assert.That(@event.GetProperty("raw").GetProperty("id").GetString(), Is.EqualTo("m1"));
        var outcomes = root.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("outcome").GetString()).ToList();
        Assert.That(outcomes, Is.EqualTo(new[] { "emitted", "passed", "passed", "retried", "failed", "dead_lettered" }));
        Assert.That(harness.Metrics.Sum("router-dead-letters"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Replay_ReinjectsTheRecords_AndASecondReplaySendsNothing(CancellationToken cancellationToken)
    {
        await using var harness = RouterHarness.Create([], start: false);
        var store = harness.DeadLetters;
        await store.AppendAsync(Record("m1"), cancellationToken);
        await store.AppendAsync(Record("m2"), cancellationToken);
        var sink = new RecordingSink();

        var first = await store.ReplayAsync(sink, cancellationToken);
        var second = await store.ReplayAsync(sink, cancellationToken);

        Assert.That(first, Is.EqualTo(new DeadLetterReplayResult(2, 0)));
        Assert.That(second, Is.EqualTo(new DeadLetterReplayResult(0, 0)));
        Assert.That(sink.Events.Select(e => e.MessageId), Is.EqualTo(new[] { "m1", "m2" }));
        Assert.That(sink.Events[0].Traits, Is.EqualTo(RouterTestEvents.Create("m1").Traits));
        Assert.That(await store.ReadAllAsync(cancellationToken), Is.Empty);
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Replay_ThroughTheRouter_DeliversTheMessage(CancellationToken cancellationToken)
    {
        var flaky = 0;
        var handler = new RouterTestHandler((_, _, _) =>
            Volatile.Read(ref flaky) == 0 ? ValueTask.FromException(new PermanentFailureException("down")) : ValueTask.CompletedTask);
        await using var harness = RouterHarness.Create([new("out", "publish", handler)]);
        var failed = new RouterTestObserver(1);
        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), failed, cancellationToken);
        await failed.AllDelivered.WaitAsync(cancellationToken);
        Volatile.Write(ref flaky, 1);
        var replayed = new RouterTestObserver(1);

        var result = await harness.DeadLetters.ReplayAsync(new ObservingSink(harness.Router, replayed), cancellationToken);
        await replayed.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(result.Replayed, Is.EqualTo(1));
        Assert.That(replayed.Deliveries.Single(), Is.EqualTo(("m1", DeliveryOutcome.Done, "done")));
        Assert.That(harness.DeadLetterLines(), Is.Empty);
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Replay_SinkRefuses_TheRecordsStay(CancellationToken cancellationToken)
    {
        await using var harness = RouterHarness.Create([], start: false);
        await harness.DeadLetters.AppendAsync(Record("m1"), cancellationToken);
        await harness.DeadLetters.AppendAsync(Record("m2"), cancellationToken);

        var result = await harness.DeadLetters.ReplayAsync(new RecordingSink { Refuse = true }, cancellationToken);

        Assert.That(result, Is.EqualTo(new DeadLetterReplayResult(0, 2)));
        Assert.That((await harness.DeadLetters.ReadAllAsync(cancellationToken)).Select(r => r.MessageId), Is.EqualTo(new[] { "m1", "m2" }));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task List_WritesOneLinePerRecord_AndReportsUnreadableLines(CancellationToken cancellationToken)
    {
        await using var harness = RouterHarness.Create([], start: false);
        Directory.CreateDirectory(harness.Directory);
        await File.WriteAllTextAsync(harness.DeadLetterPath, "{not json\n", cancellationToken);
        await harness.DeadLetters.AppendAsync(Record("m1"), cancellationToken);
        await harness.DeadLetters.AppendAsync(Record("m2"), cancellationToken);
        using var output = new StringWriter();

        var count = await harness.DeadLetters.ListAsync(output, cancellationToken);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(count, Is.EqualTo(2));
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[0], Does.Contain("dead-letters.jsonl:1: unreadable"));
        Assert.That(lines[1], Does.Contain("m1").And.Contain("handler=bad").And.Contain("InvalidOperationException: boom"));
        Assert.That(lines[2], Does.Contain("m2"));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Append_FromManyWritersAtOnce_KeepsEveryLineWhole(CancellationToken cancellationToken)
    {
        await using var harness = RouterHarness.Create([], start: false);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => harness.DeadLetters.AppendAsync(Record("m" + i), cancellationToken)));

        var ids = (await harness.DeadLetters.ReadAllAsync(cancellationToken)).Select(r => r.MessageId);
        Assert.That(ids, Is.EquivalentTo(Enumerable.Range(0, 50).Select(i => "m" + i)));
    }

    private static DeadLetterRecord Record(string id) => new(
        id,
        RouterTestEvents.Create(id),
        [new HistoryEntry("consume", "router", HistoryOutcome.Emitted, DateTimeOffset.UnixEpoch)],
        "InvalidOperationException",
        "boom",
        "bad",
        "publish",
        DateTimeOffset.UnixEpoch);

    private sealed class RecordingSink : IEventSink
    {
        private readonly ConcurrentQueue<Event> _events = new();

        public bool Refuse { get; init; }

        public IReadOnlyList<Event> Events => [.. _events];

        public ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default)
        {
            if (Refuse)
            {
                return ValueTask.FromException(new PipelineUnavailableException(PipelineUnavailableReason.Stopping, "stopping"));
            }

            _events.Enqueue(@event);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ObservingSink(IEventSink inner, IDeliveryObserver observer) : IEventSink
    {
        public ValueTask EmitAsync(Event @event, IDeliveryObserver? ignored, CancellationToken cancellationToken = default) =>
            inner.EmitAsync(@event, observer, cancellationToken);
    }
}
