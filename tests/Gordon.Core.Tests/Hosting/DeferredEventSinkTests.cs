using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Core.Hosting;

namespace Gordon.Core.Tests.Hosting;

public sealed class DeferredEventSinkTests
{
    private static readonly Event Sample = new() { MessageId = "m", EventType = "t", Generated = DateTimeOffset.UnixEpoch };

    [Test]
    public void Emit_BeforeAttach_IsRefusedWithAReason()
    {
        var sink = new DeferredEventSink();

        var error = Assert.ThrowsAsync<PipelineUnavailableException>(async () => await ((IEventSink)sink).EmitAsync(Sample));
        Assert.That(error!.Message, Does.Contain("not started"));
    }

    [Test]
    public async Task Emit_AfterAttach_ForwardsEventAndObserver()
    {
        var sink = new DeferredEventSink();
        var target = new RecordingSink();
        sink.Attach(target);

        await sink.EmitAsync(Sample, observer: null);

        Assert.That(target.Received, Is.EqualTo(new[] { Sample }));
    }

    private sealed class RecordingSink : IEventSink
    {
        public List<Event> Received { get; } = [];

        public ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default)
        {
            Received.Add(@event);
            return ValueTask.CompletedTask;
        }
    }
}
