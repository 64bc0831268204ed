using Gordon.Abstractions.Events;

namespace Gordon.Abstractions.Tests.Events;

public sealed class TraitTests
{
    [Test]
    public void TypeCodes_AreTheOnesPankoStores()
    {
        Assert.That(
            new[] { (int)TraitType.None, (int)TraitType.String, (int)TraitType.Integer, (int)TraitType.Float, (int)TraitType.DateTime },
            Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
    }

    [Test]
    public void DateTime_IsStoredInUtc()
    {
        var trait = Trait.DateTime("at", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));

        Assert.That(trait.DateTimeValue, Is.EqualTo(new DateTimeOffset(2026, 1, 2, 1, 4, 5, TimeSpan.Zero)));
        Assert.That(trait.DateTimeValue.Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void ReadingAnotherType_Throws_NamingBothTypes()
    {
        var trait = Trait.Integer("totallag", 42);

        var error = Assert.Throws<InvalidOperationException>(() => _ = trait.StringValue);
        Assert.That(error!.Message, Does.Contain("totallag").And.Contain("Integer").And.Contain("String"));
    }

    [TestCase(TraitType.Integer, "9223372036854775807")]
    [TestCase(TraitType.Float, "0.1")]
    [TestCase(TraitType.String, "a\"b")]
    [TestCase(TraitType.None, null)]
    public void FormatValue_WritesInvariantText(TraitType type, string? expected)
    {
        var trait = type switch
        {
            TraitType.Integer => Trait.Integer("t", long.MaxValue),
            TraitType.Float => Trait.Float("t", 0.1),
            TraitType.String => Trait.String("t", "a\"b"),
            _ => Trait.None("t"),
        };

        Assert.That(trait.FormatValue(), Is.EqualTo(expected));
    }

    [Test]
    public void Event_TryGetTrait_FindsByExactName()
    {
        var evt = new Event
        {
            MessageId = "m1",
            EventType = "burrow.consumer_status",
            Generated = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(-5)),
            Traits = [Trait.String("cluster", "c1"), Trait.Integer("totallag", 7)],
        };

        Assert.That(evt.TryGetTrait("totallag", out var lag), Is.True);
        Assert.That(lag.IntegerValue, Is.EqualTo(7));
        Assert.That(evt.TryGetTrait("TotalLag", out _), Is.False);
        Assert.That(evt.Generated.Offset, Is.EqualTo(TimeSpan.Zero));
    }
}
