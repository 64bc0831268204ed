using System.Text;
using System.Text.Json;
using CsCheck;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Plugins.RabbitMQ.Tests.Support;
using Gordon.Plugins.RabbitMQ.Wire;

namespace Gordon.Plugins.RabbitMQ.Tests.Wire;

public sealed class WireFormatTests
{
    private static readonly DateTimeOffset Generated = new(2026, 11, 23, 20, 1, 2, TimeSpan.Zero);

    [Test]
    public void Serialize_WritesVersionOneWithEventAndHistory()
    {
        var body = WireFormat.Serialize(WireSamples.Full(), [new HistoryEntry("consume", "burrow", HistoryOutcome.Emitted, Generated)]);

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("v").GetInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("event").GetProperty("message_id").GetString(), Is.EqualTo("m-1"));
            Assert.That(root.GetProperty("history")[0].GetProperty("plugin").GetString(), Is.EqualTo("burrow"));
            Assert.That(Encoding.UTF8.GetString(body), Does.Not.Contain("\n"), "one line");
        });
    }

    [Test]
    public void RoundTrip_FullEvent_IsExact()
    {
        var original = WireSamples.Full();
        IReadOnlyList<HistoryEntry> history =
        [
            new("consume", "burrow", HistoryOutcome.Emitted, Generated),
            new("enrich", "lag", HistoryOutcome.Retried, Generated.AddTicks(1), "boom \"quoted\""),
            new("publish", "rabbitmq.publish", HistoryOutcome.DeadLettered, Generated.AddMilliseconds(5)),
        ];

        var back = WireFormat.Deserialize(WireFormat.Serialize(original, history));

        WireSamples.AssertSame(back.Event, original);
        Assert.That(back.History, Is.EqualTo(history));
    }

    [TestCase("{\"a\":1}", TestName = "RoundTrip_RawCompactJson_IsEmbeddedAndExact")]
    [TestCase("{ \"a\" : 1 }", TestName = "RoundTrip_RawJsonWithSpaces_IsExact")]
    [TestCase("{\"a\":1}\n", TestName = "RoundTrip_RawJsonWithNewline_IsExact")]
    [TestCase("not json at all", TestName = "RoundTrip_RawText_IsExact")]
    [TestCase("{\"s\":\"\\u00e9\\n\"}", TestName = "RoundTrip_RawJsonWithEscapes_KeepsEscapes")]
    public void RoundTrip_Raw(string raw)
    {
        var @event = new Event { MessageId = "r", EventType = "t", Generated = Generated, Raw = Encoding.UTF8.GetBytes(raw) };

        var back = WireFormat.Deserialize(WireFormat.Serialize(@event, []));

        Assert.That(back.Event.Raw.ToArray(), Is.EqualTo(Encoding.UTF8.GetBytes(raw)));
    }

    [Test]
    public void RoundTrip_RawInvalidUtf8_IsExactAsBase64()
    {
        byte[] raw = [0xff, 0xfe, 0x00, 0x7b, 0x22];
        var @event = new Event { MessageId = "r", EventType = "t", Generated = Generated, Raw = raw };

        var body = WireFormat.Serialize(@event, []);

        Assert.That(Encoding.UTF8.GetString(body), Does.Contain("\"raw_base64\""));
        Assert.That(WireFormat.Deserialize(body).Event.Raw.ToArray(), Is.EqualTo(raw));
    }

    [Test]
    public void RoundTrip_SpecialFloats_AreBitExact()
    {
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, 0.1 + 0.2];
        var @event = new Event
        {
            MessageId = "f",
            EventType = "t",
            Generated = Generated,
            Traits = [.. values.Select((v, i) => Trait.Float("f" + i, v))],
        };

        var back = WireFormat.Deserialize(WireFormat.Serialize(@event, [])).Event;

        Assert.That(
            back.Traits.Select(t => BitConverter.DoubleToInt64Bits(t.FloatValue)),
            Is.EqualTo(values.Select(BitConverter.DoubleToInt64Bits)));
    }

    [Test]
    public void RoundTrip_LoneSurrogate_BecomesTheReplacementCharacter()
    {
        // UTF-8 JSON cannot carry half a surrogate pair; System.Text.Json writes U+FFFD instead, as documented.
        var @event = new Event { MessageId = "m", EventType = "t", Generated = Generated, Traits = [Trait.String("s", "a\ud800b")] };

        var back = WireFormat.Deserialize(WireFormat.Serialize(@event, [])).Event;

        Assert.That(back.Traits[0].StringValue, Is.EqualTo("a\ufffdb"));
    }

    [Test]
    public void RoundTrip_RandomEvents_AreExact()
    {
        WireSamples.Events.Sample(original =>
        {
            var back = WireFormat.Deserialize(WireFormat.Serialize(original, [])).Event;
            WireSamples.AssertSame(back, original);
        }, iter: 300);
    }

    [TestCase("", "the body is empty", TestName = "Deserialize_EmptyBody_Throws")]
    [TestCase("hello", "the body is not JSON: 'h' is an invalid start of a value", TestName = "Deserialize_NotJson_Throws")]
    [TestCase("[1,2]", "the body is a JSON array, expected object", TestName = "Deserialize_Array_Throws")]
    [TestCase("{\"event\":{}}", "no \"v\" field: not a Gordon wire message", TestName = "Deserialize_NoVersion_Throws")]
    [TestCase("{\"v\":\"1\",\"event\":{}}", "\"v\" is \"1\", expected a version number", TestName = "Deserialize_VersionNotNumber_Throws")]
    [TestCase("{\"v\":2,\"event\":{}}", "wire format version 2 is newer than this daemon reads (1): upgrade it", TestName = "Deserialize_NewerVersion_Throws")]
    [TestCase("{\"v\":1}", "missing property \"event\"", TestName = "Deserialize_NoEvent_Throws")]
    [TestCase("{\"v\":1,\"event\":{\"message_id\":\"m\",\"event_type\":\"t\",\"generated\":\"yesterday\"}}",
        "property \"generated\" is not an ISO 8601 timestamp", TestName = "Deserialize_BadTimestamp_Throws")]
    [TestCase("{\"v\":1,\"event\":{\"message_id\":\"m\",\"event_type\":\"t\",\"generated\":\"2026-01-01T00:00:00Z\",\"traits\":[{\"name\":\"n\",\"type\":\"integer\",\"value\":\"x\"}]}}",
        "", TestName = "Deserialize_IntegerTraitNotNumber_Throws")]
    [TestCase("{\"v\":1,\"event\":{\"message_id\":\"m\",\"event_type\":\"t\",\"generated\":\"2026-01-01T00:00:00Z\",\"traits\":[{\"name\":\"n\",\"type\":\"integer\",\"value\":99999999999999999999}]}}",
        "", TestName = "Deserialize_IntegerTraitOutOfRange_Throws")]
    [TestCase("{\"v\":1,\"event\":{\"message_id\":\"m\",\"event_type\":\"t\",\"generated\":\"2026-01-01T00:00:00Z\",\"traits\":[{\"name\":\"n\",\"type\":\"blob\"}]}}",
        "trait 'n' has unknown type 'blob'", TestName = "Deserialize_UnknownTraitType_Throws")]
    [TestCase("{\"v\":1,\"event\":{\"message_id\":\"\",\"event_type\":\"t\",\"generated\":\"2026-01-01T00:00:00Z\"}}",
        "the event's message_id and event_type must not be empty", TestName = "Deserialize_EmptyMessageId_Throws")]
    [TestCase("{\"v\":1,\"event\":{\"message_id\":\"m\",\"event_type\":\"t\",\"generated\":\"2026-01-01T00:00:00Z\"},\"history\":[{\"phase\":\"p\",\"plugin\":\"x\",\"outcome\":\"7\",\"time\":\"2026-01-01T00:00:00Z\"}]}",
        "unknown history outcome '7'", TestName = "Deserialize_UnknownHistoryOutcome_Throws")]
    public void Deserialize_Invalid(string body, string reason)
    {
        var error = Assert.Throws<WireFormatException>(() => WireFormat.Deserialize(Encoding.UTF8.GetBytes(body)));

        Assert.That(error!.Message, Does.Contain(reason));
    }

    [Test]
    public void Deserialize_Garbage_NeverThrowsAnythingButWireFormatException()
    {
        var valid = WireFormat.Serialize(WireSamples.Full(), []);
        Gen.Int[0, valid.Length - 1].Select(Gen.Byte).Sample((position, value) =>
        {
            var mutated = (byte[])valid.Clone();
            mutated[position] = value;
            try
            {
                WireFormat.Deserialize(mutated);
            }
            catch (WireFormatException)
            {
                // Expected for most mutations.
            }
        }, iter: 2000);
    }
}
