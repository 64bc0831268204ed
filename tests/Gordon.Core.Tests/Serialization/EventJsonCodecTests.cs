using System.Text;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Core.Serialization;

namespace Gordon.Core.Tests.Serialization;

public sealed class EventJsonCodecTests
{
    private static readonly DateTimeOffset Generated = new DateTimeOffset(2025, 6, 7, 8, 9, 10, TimeSpan.FromHours(2)).AddTicks(1234567);

    [Test]
    public void RoundTrip_KeepsEveryTraitTypeDetailsRawAndUnicode()
    {
        var raw = Encoding.UTF8.GetBytes("{\"group\":\"grüße \\\"q\\\" 日本\",\"lag\":[1,2]}");
        var original = new Event
        {
            MessageId = "id-ü-1",
            EventType = "burrow.consumer_status",
            Generated = Generated,
            Traits =
            [
                Trait.String("group", "grüße \"q\" \\ 日本\n"),
                Trait.Integer("totallag", long.MaxValue),
                Trait.Integer("negative", long.MinValue),
                Trait.Float("ratio", 0.1 + 0.2),
                Trait.Float("nan", double.NaN),
                Trait.Float("inf", double.NegativeInfinity),
                Trait.DateTime("seen", Generated),
                Trait.None("nothing"),
            ],
            Details = [new EventDetail("partition", [Trait.String("topic", "t1"), Trait.Integer("lag", 5)])],
            Raw = raw,
        };
        IReadOnlyList<HistoryEntry> history =
        [
            new("consume", "router", HistoryOutcome.Emitted, Generated),
            new("publish", "storage", HistoryOutcome.Retried, Generated.AddSeconds(1), "attempt 1: IOException: disk"),
            new("publish", "router", HistoryOutcome.DeadLettered, Generated.AddSeconds(2)),
        ];

        var json = EventJsonCodec.Serialize(original, history);
        var (copy, copiedHistory) = EventJsonCodec.Deserialize(json);

        Assert.That(copy.MessageId, Is.EqualTo(original.MessageId));
        Assert.That(copy.EventType, Is.EqualTo(original.EventType));
        Assert.That(copy.Generated, Is.EqualTo(original.Generated));
        Assert.That(copy.Generated.UtcTicks, Is.EqualTo(original.Generated.UtcTicks));
        Assert.That(copy.Traits, Is.EqualTo(original.Traits));
        Assert.That(copy.Traits.Select(t => t.Type), Is.EqualTo(original.Traits.Select(t => t.Type)));
        Assert.That(copy.Details, Has.Count.EqualTo(1));
        Assert.That(copy.Details[0].Kind, Is.EqualTo("partition"));
        Assert.That(copy.Details[0].Traits, Is.EqualTo(original.Details[0].Traits));
        Assert.That(copy.Raw.ToArray(), Is.EqualTo(raw));
        Assert.That(copiedHistory, Is.EqualTo(history));
        Assert.That(Encoding.UTF8.GetString(json), Does.Contain("\"raw\":{"));
    }

    [TestCase(new byte[] { 0xFF, 0x00, 0x0A, 0x41 }, TestName = "RoundTrip_BinaryRaw_IsKeptAsBase64")]
    [TestCase(new byte[] { 0x7B, 0x0A, 0x20, 0x20, 0x22, 0x61, 0x22, 0x3A, 0x31, 0x0A, 0x7D }, TestName = "RoundTrip_MultiLineJsonRaw_IsKeptAsBase64OnOneLine")]
    [TestCase(new byte[] { 0x20, 0x31 }, TestName = "RoundTrip_RawWithLeadingSpace_IsKeptByteExact")]
    public void RoundTrip_RawThatCannotBeEmbedded_IsBase64AndByteExact(byte[] raw)
    {
        var original = new Event { MessageId = "m", EventType = "t", Generated = Generated, Raw = raw };

        var json = EventJsonCodec.Serialize(original, []);
        var (copy, _) = EventJsonCodec.Deserialize(json);

        Assert.That(copy.Raw.ToArray(), Is.EqualTo(raw));
        Assert.That(Encoding.UTF8.GetString(json), Does.Contain("\"raw_base64\"").And.Not.Contain("\n"));
    }

    [Test]
    public void RoundTrip_EmptyRaw_StaysEmpty()
    {
        var original = new Event { MessageId = "m", EventType = "t", Generated = Generated };

        var (copy, history) = EventJsonCodec.Deserialize(EventJsonCodec.Serialize(original, []));

        Assert.That(copy.Raw.IsEmpty, Is.True);
        Assert.That(copy.Traits, Is.Empty);
        Assert.That(history, Is.Empty);
    }

    [Test]
    public void Deserialize_UnknownTraitType_Throws()
    {
        var json = "{\"event\":{\"message_id\":\"m\",\"event_type\":\"t\",\"generated\":\"2025-01-01T00:00:00Z\",\"traits\":[{\"name\":\"x\",\"type\":\"blob\",\"value\":1}]}}"u8.ToArray();

        Assert.That(() => EventJsonCodec.Deserialize(json), Throws.InstanceOf<System.Text.Json.JsonException>().With.Message.Contains("blob"));
    }
}
