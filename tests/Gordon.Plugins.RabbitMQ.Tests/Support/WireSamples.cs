using System.Text;
using CsCheck;
using Gordon.Abstractions.Events;

namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>Events for round-trip tests, and an exact comparison (trait types, float bits, raw bytes).</summary>
internal static class WireSamples
{
    // Any UTF-16 but lone surrogates, which JSON cannot carry (they become U+FFFD).
    private static readonly Gen<char> Character = Gen.Char['\0', '\uD7FF'];
    private static readonly Gen<string> Text = Gen.String[Character, 0, 20];
    private static readonly Gen<string> Name = Gen.String[Gen.Char.AlphaNumeric, 1, 12];

    private static readonly Gen<Trait> AnyTrait = Gen.OneOf(
        Gen.Select(Name, Text, Trait.String),
        Gen.Select(Name, Gen.Long, Trait.Integer),
        Gen.Select(Name, Gen.Double, Trait.Float),
        Gen.Select(Name, Gen.Long[DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks], (n, ticks) => Trait.DateTime(n, new DateTimeOffset(ticks, TimeSpan.Zero))),
        Name.Select(Trait.None));

    public static Gen<Event> Events { get; } =
        Gen.Select(
            Gen.String[Character, 1, 30],
            Name,
            Gen.Long[0, DateTimeOffset.MaxValue.UtcTicks],
            AnyTrait.Array[0, 8],
            Gen.Select(Name, AnyTrait.Array[0, 4]).Array[0, 3],
            Gen.Byte.Array[0, 40])
        .Select((id, type, ticks, traits, details, raw) => new Event
        {
            MessageId = id,
            EventType = type,
            Generated = new DateTimeOffset(ticks, TimeSpan.Zero),
            Traits = traits,
            Details = [.. details.Select(d => new EventDetail(d.Item1, d.Item2))],
            Raw = raw,
        });

    public static Event Full() => new()
    {
        MessageId = "m-1",
        EventType = "burrow.consumer_status",
        Generated = new DateTimeOffset(2026, 11, 23, 20, 1, 2, 345, TimeSpan.FromHours(2)).AddTicks(6789),
        Traits =
        [
            Trait.String("cluster", "prod \"east\" ü"),
            Trait.String("group", "orders.consumer"),
            Trait.Integer("totallag", long.MaxValue),
            Trait.Integer("min", long.MinValue),
            Trait.Float("ratio", 0.125),
            Trait.DateTime("start", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1)),
            Trait.None("maxlag_topic"),
            Trait.String("empty", string.Empty),
        ],
        Details =
        [
            new EventDetail("partition", [Trait.String("topic", "t1"), Trait.Integer("partition", 0), Trait.Integer("lag", 12)]),
            new EventDetail("partition", []),
        ],
        Raw = Encoding.UTF8.GetBytes("{\"status\":{\"cluster\":\"prod\",\"lag\":[1,2,3]}}"),
    };

    public static void AssertSame(Event actual, Event expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(actual.MessageId, Is.EqualTo(expected.MessageId));
            Assert.That(actual.EventType, Is.EqualTo(expected.EventType));
            Assert.That(actual.Generated.UtcTicks, Is.EqualTo(expected.Generated.UtcTicks));
            Assert.That(actual.Generated.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(Describe(actual.Traits), Is.EqualTo(Describe(expected.Traits)));
            Assert.That(
                actual.Details.Select(d => (d.Kind, Describe(d.Traits))),
                Is.EqualTo(expected.Details.Select(d => (d.Kind, Describe(d.Traits)))));
            Assert.That(actual.Raw.ToArray(), Is.EqualTo(expected.Raw.ToArray()));
        });
    }

    // Type and exact value: floats by their bits (NaN equals NaN, -0 differs from 0), timestamps by ticks.
    private static List<string> Describe(IReadOnlyList<Trait> traits) =>
        [.. traits.Select(t => t.Type switch
        {
            TraitType.Float => $"{t.Name}:float:{BitConverter.DoubleToInt64Bits(t.FloatValue)}",
            TraitType.DateTime => $"{t.Name}:datetime:{t.DateTimeValue.UtcTicks}",
            _ => $"{t.Name}:{t.Type}:{t.FormatValue()}",
        })];
}
