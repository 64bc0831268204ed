using System.Collections.Concurrent;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Routing;

public sealed class RouterEnrichTests
{
    [Test]
    [CancelAfter(10000)]
    public async Task UpdateData_InEnrich_IsWhatPublishHandlersSee(CancellationToken cancellationToken)
    {
        var seen = new ConcurrentBag<Event>();
        var enrich = new RouterTestHandler((message, _, _) =>
        {
            message.UpdateData(e => WithTrait(e, "rate", 2.5));
            return ValueTask.CompletedTask;
        });
        var publish = new RouterTestHandler((message, _, _) =>
        {
            seen.Add(message.Data);
            return ValueTask.CompletedTask;
        });
        var observer = new RouterTestObserver(1);
        await using var harness = RouterHarness.Create([new("enricher", "enrich", enrich), new("out", "publish", publish)]);

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await observer.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(seen.Single().TryGetTrait("rate", out var rate), Is.True);
        Assert.That(rate.FloatValue, Is.EqualTo(2.5));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task UpdateData_TwoEnrichersAtOnce_BothAdditionsSurvive(CancellationToken cancellationToken)
    {
        using var bothInside = new Barrier(2);
        Event? published = null;
        RouterTestHandler Enricher(string trait) => new((message, _, _) =>
        {
            // Both read the same event before either writes, so a plain replace would lose one addition.
            message.UpdateData(e =>
            {
                bothInside.SignalAndWait(TimeSpan.FromSeconds(1), CancellationToken.None);
                return WithTrait(e, trait, 1);
            });
            return ValueTask.CompletedTask;
        });
        var publish = new RouterTestHandler((message, _, _) =>
        {
            published = message.Data;
            return ValueTask.CompletedTask;
        });
        var observer = new RouterTestObserver(1);
        await using var harness = RouterHarness.Create(
            [new("a", "enrich", Enricher("a")), new("b", "enrich", Enricher("b")), new("out", "publish", publish)]);

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await observer.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(published!.Traits.Select(t => t.Name), Is.SupersetOf(new[] { "a", "b" }));
    }

    [Test]
    [CancelAfter(10000)]
    public async Task UpdateData_ChangingTheMessageId_FailsTheHandler(CancellationToken cancellationToken)
    {
        var failures = new ConcurrentBag<Exception>();
        var enrich = new RouterTestHandler((message, _, _) =>
        {
            try
            {
                message.UpdateData(e => new Event { MessageId = "other", EventType = e.EventType, Generated = e.Generated });
            }
            catch (ArgumentException ex)
            {
                failures.Add(ex);
                throw;
            }

            return ValueTask.CompletedTask;
        });
        var observer = new RouterTestObserver(1);
        await using var harness = RouterHarness.Create([new("enricher", "enrich", enrich)]);

        await harness.Router.EmitAsync(RouterTestEvents.Create("m1"), observer, cancellationToken);
        await observer.AllDelivered.WaitAsync(cancellationToken);

        Assert.That(failures.First().Message, Does.Contain("must keep the message id 'm1'"));
        Assert.That(observer.Deliveries.Single().Outcome, Is.Not.EqualTo(DeliveryOutcome.Done));
    }

    private static Event WithTrait(Event e, string name, double value) => new()
    {
        MessageId = e.MessageId,
        EventType = e.EventType,
        Generated = e.Generated,
        Traits = [.. e.Traits, Trait.Float(name, value)],
        Details = e.Details,
        Raw = e.Raw,
    };
}
