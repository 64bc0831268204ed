using Gordon.Abstractions.Events;
using Gordon.Plugins.RabbitMQ.Configuration;

namespace Gordon.Plugins.RabbitMQ.Tests.Configuration;

public sealed class RoutingKeyTemplateTests
{
    private static readonly Event Lag = new()
    {
        MessageId = "m",
        EventType = "burrow.consumer_status",
        Generated = DateTimeOffset.UnixEpoch,
        Traits = [Trait.String("cluster", "prod"), Trait.String("group", "orders"), Trait.Integer("totallag", 42), Trait.None("topic"), Trait.String("blank", string.Empty)],
    };

    [TestCase("{cluster}.{group}", "prod.orders")]
    [TestCase("lag.{cluster}.{totallag}", "lag.prod.42")]
    [TestCase("{cluster}.{missing}", "prod._")]
    [TestCase("{topic}.{blank}", "_._")]
    [TestCase("{event_type}", "burrow.consumer_status")]
    [TestCase("fixed", "fixed")]
    [TestCase("", "")]
    public void Render_FillsPlaceholdersFromTraits(string template, string expected)
    {
        Assert.That(RoutingKeyTemplate.TryParse(template, "_", out var parsed, out var error), Is.True, error);

        Assert.That(parsed!.Render(Lag, out var truncated), Is.EqualTo(expected));
        Assert.That(truncated, Is.False);
    }

    [Test]
    public void Render_TraitNamedEventType_WinsOverTheEventType()
    {
        RoutingKeyTemplate.TryParse("{event_type}", "_", out var parsed, out _);
        var @event = new Event { MessageId = "m", EventType = "x", Generated = DateTimeOffset.UnixEpoch, Traits = [Trait.String("event_type", "mine")] };

        Assert.That(parsed!.Render(@event, out _), Is.EqualTo("mine"));
    }

    [TestCase("{cluster", "the placeholder at position 1 is not closed")]
    [TestCase("{a{b}}", "the placeholder at position 1 is not closed")]
    [TestCase("a}", "'}' at position 2 closes no placeholder")]
    [TestCase("x.{}", "the placeholder at position 3 names no trait")]
    public void TryParse_BadTemplate_SaysWhere(string template, string reason)
    {
        Assert.That(RoutingKeyTemplate.TryParse(template, "_", out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void TryParse_FixedTextOverTheLimit_IsRejected()
    {
        Assert.That(RoutingKeyTemplate.TryParse(new string('k', 256), "_", out _, out var error), Is.False);
        Assert.That(error, Does.Contain("255-byte"));
    }

    [Test]
    public void Render_LongValues_AreCutOnACharacterBoundaryWithinTheLimit()
    {
        RoutingKeyTemplate.TryParse("{cluster}.{group}", "_", out var parsed, out _);
        var @event = new Event
        {
            MessageId = "m",
            EventType = "t",
            Generated = DateTimeOffset.UnixEpoch,
            Traits = [Trait.String("cluster", new string('c', 100)), Trait.String("group", string.Concat(Enumerable.Repeat("é😀", 60)))],
        };

        var key = parsed!.Render(@event, out var truncated);

        Assert.Multiple(() =>
        {
            Assert.That(truncated, Is.True);
            Assert.That(System.Text.Encoding.UTF8.GetByteCount(key), Is.LessThanOrEqualTo(255).And.GreaterThan(250));
            Assert.That(char.IsHighSurrogate(key[^1]), Is.False, "no half surrogate pair at the end");
            Assert.That(key, Does.StartWith(new string('c', 100) + ".é😀"));
        });
    }
}
