using System.Collections.Concurrent;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Core.Routing;
using Gordon.Core.Spool;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Spool;

public sealed class SpoolingEventSinkTests
{
    private string _directory = null!;
    private RecordingLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("gordon-spool-sink-").FullName;
        _logger = new RecordingLogger();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    [CancelAfter(10000)]
    public async Task Emit_RouterFull_IsAcceptedIntoTheSpool_AndReachesTheRouterInOrderWhenThereIsRoom(CancellationToken cancellationToken)
    {
        var (spool, _) = Open();
        await using var _1 = spool;
        var router = new GatedRouter();
        await using var sink = new SpoolingEventSink(router, spool, _logger, TimeProvider.System);

        // The first emit meets the full router and parks; the later ones park behind it without asking the router.
        for (var i = 0; i < 5; i++)
        {
            await sink.EmitAsync(RouterTestEvents.Create("m" + i), observer: null, cancellationToken);
        }

        Assert.That(sink.ParkedCount, Is.EqualTo(5));
        Assert.That(spool.LiveCount, Is.EqualTo(5), "accepted means spooled");
        Assert.That(router.Accepted, Is.Empty);

        router.Open();
        await router.WaitForAsync(5, cancellationToken);
        Assert.That(router.Accepted.Select(e => e.MessageId), Is.EqualTo(new[] { "m0", "m1", "m2", "m3", "m4" }));
        Assert.That(sink.ParkedCount, Is.Zero);
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Parked_MessageLeavesTheSpool_OnlyWhenTheRouterDeliveredIt(CancellationToken cancellationToken)
    {
        var (spool, _) = Open();
        await using var _1 = spool;
        var router = new GatedRouter();
        await using var sink = new SpoolingEventSink(router, spool, _logger, TimeProvider.System);
        var observer = new RouterTestObserver(1);
        await sink.EmitAsync(RouterTestEvents.Create("m0"), observer, cancellationToken);

        router.Open();
        await router.WaitForAsync(1, cancellationToken);
        Assert.That(spool.LiveCount, Is.EqualTo(1), "in the router, not yet done");

        router.DeliverAll();
        await observer.AllDelivered.WaitAsync(cancellationToken);
        await WaitUntilAsync(() => spool.LiveCount == 0, cancellationToken);
        Assert.That(observer.Deliveries.Single().MessageId, Is.EqualTo("m0"), "the runnable's own observer is told too");
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Replay_DoesNotWaitForRoom_AndNewMessagesQueueBehindTheReplayed(CancellationToken cancellationToken)
    {
        var (first, _) = Open();
        await first.AppendAsync(RouterTestEvents.Create("old1"), cancellationToken);
        await first.AppendAsync(RouterTestEvents.Create("old2"), cancellationToken);
        await first.DisposeAsync();

        var (spool, unfinished) = Open();
        await using var _1 = spool;
        var router = new GatedRouter();
        await using var sink = new SpoolingEventSink(router, spool, _logger, TimeProvider.System);
        foreach (var message in unfinished)
        {
            sink.Replay(message);
        }

        await sink.EmitAsync(RouterTestEvents.Create("new"), observer: null, cancellationToken);
        Assert.That(sink.ParkedCount, Is.EqualTo(3));

        router.Open();
        await router.WaitForAsync(3, cancellationToken);
        Assert.That(router.Accepted.Select(e => e.MessageId), Is.EqualTo(new[] { "old1", "old2", "new" }));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Dispose_WithMessagesParked_LeavesThemInTheSpoolForTheNextStart(CancellationToken cancellationToken)
    {
        var (spool, _) = Open();
        var router = new GatedRouter();
        var sink = new SpoolingEventSink(router, spool, _logger, TimeProvider.System);
        await sink.EmitAsync(RouterTestEvents.Create("m0"), observer: null, cancellationToken);
        await sink.EmitAsync(RouterTestEvents.Create("m1"), observer: null, cancellationToken);

        await sink.DisposeAsync();
        await spool.DisposeAsync();

        var (again, unfinished) = Open();
        await using var _1 = again;
        Assert.That(unfinished.Select(m => m.Event.MessageId), Is.EqualTo(new[] { "m0", "m1" }));
        Assert.That(router.Accepted, Is.Empty);
    }

    [Test]
    [CancelAfter(10000)]
    public async Task Emit_RouterStopping_IsRefusedAndNotKeptInTheSpool(CancellationToken cancellationToken)
    {
        var (spool, _) = Open();
        await using var _1 = spool;
        var router = new GatedRouter { Stopping = true };
        await using var sink = new SpoolingEventSink(router, spool, _logger, TimeProvider.System);

        var refused = Assert.ThrowsAsync<PipelineUnavailableException>(async () => await sink.EmitAsync(RouterTestEvents.Create("m0"), observer: null, cancellationToken));

        Assert.That(refused!.Reason, Is.EqualTo(PipelineUnavailableReason.Stopping));
        await WaitUntilAsync(() => spool.LiveCount == 0, cancellationToken);
        Assert.That(sink.ParkedCount, Is.Zero);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    private (DurableSpool Spool, IReadOnlyList<SpooledMessage> Unfinished) Open() =>
        DurableSpool.Open(SpoolOptions.Default with { Enabled = true, Directory = _directory }, _logger, TimeProvider.System);

    /// <summary>A router that is full until opened; it keeps what it accepted and delivers when told.</summary>
    private sealed class GatedRouter : IEventSink
    {
        private readonly ConcurrentQueue<(Event Event, IDeliveryObserver? Observer)> _accepted = new();
        private volatile bool _open;

        public bool Stopping { get; init; }

        public IReadOnlyList<Event> Accepted => [.. _accepted.Select(a => a.Event)];

        public void Open() => _open = true;

        public async ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default)
        {
            // Like the router's enqueue timeout: a full router answers after a wait, not at once.
            await Task.Delay(5, cancellationToken);
            if (Stopping)
            {
                throw new PipelineUnavailableException(PipelineUnavailableReason.Stopping, "stopping");
            }

            if (!_open)
            {
                throw new PipelineUnavailableException(PipelineUnavailableReason.Full, "full");
            }

            _accepted.Enqueue((@event, observer));
        }

        public void DeliverAll()
        {
            foreach (var (@event, observer) in _accepted)
            {
                observer?.OnDelivered(new EventMessage(@event, "consume", 64, 4, observer, 0), DeliveryOutcome.Done);
            }
        }

        public async Task WaitForAsync(int count, CancellationToken cancellationToken)
        {
            while (_accepted.Count < count)
            {
                await Task.Delay(10, cancellationToken);
            }
        }
    }
}
