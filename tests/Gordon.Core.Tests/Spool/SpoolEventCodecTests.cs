using System.Text;
using Gordon.Abstractions.Events;
using Gordon.Core.Spool;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Spool;

public sealed class SpoolEventCodecTests
{
    [Test]
    public void Crc32C_MatchesTheStandardCheckValue() =>
        Assert.That(Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xE3069283u));

    [Test]
    public void Crc32C_HardwareAndTablePathsAgree_AndContinueAcrossPieces()
    {
        var random = new Random(13);
        for (var length = 0; length < 100; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var whole = Crc32C.Compute(data);
            Assert.That(Crc32C.ComputeSoftware(data), Is.EqualTo(whole), $"length {length}");
            var cut = length / 3;
            Assert.That(Crc32C.Compute(data.AsSpan(cut), Crc32C.Compute(data.AsSpan(0, cut))), Is.EqualTo(whole), $"length {length} cut at {cut}");
        }
    }

    [Test]
    public void Write_ThenRead_GivesBackEveryFieldExactly()
    {
        var generated = new DateTimeOffset(2026, 11, 23, 22, 1, 2, TimeSpan.Zero).AddTicks(1234567);
        var longText = string.Concat(Enumerable.Repeat("prüfung-€-𝄞-", 40));
        var original = new Event
        {
            MessageId = "id-ü",
            EventType = "burrow.consumer_status",
            Generated = generated,
            Traits =
            [
                Trait.String("cluster", "local"),
                Trait.String("long", longText),
                Trait.String("empty", string.Empty),
                Trait.Integer("lag", long.MinValue),
                Trait.Float("rate", double.NaN),
                Trait.Float("ratio", -0.1),
                Trait.DateTime("seen", generated.AddDays(-1)),
                Trait.None("nothing"),
            ],
            Details =
            [
                new EventDetail("partition", [Trait.Integer("partition", 0), Trait.String("status", "WARN")]),
                new EventDetail("partition", []),
            ],
            Raw = new byte[] { 0, 255, 10, 13, (byte)'{' },
        };

        var buffer = new byte[SpoolEventCodec.MaxSize(original)];
        var length = SpoolEventCodec.Write(original, buffer);
        var copy = SpoolEventCodec.Read(buffer.AsSpan(0, length));

        Assert.That(copy.MessageId, Is.EqualTo(original.MessageId));
        Assert.That(copy.EventType, Is.EqualTo(original.EventType));
        Assert.That(copy.Generated, Is.EqualTo(generated));
        Assert.That(copy.Traits, Is.EqualTo(original.Traits));
        Assert.That(copy.Details, Has.Count.EqualTo(2));
        Assert.That(copy.Details[0].Kind, Is.EqualTo("partition"));
        Assert.That(copy.Details[0].Traits, Is.EqualTo(original.Details[0].Traits));
        Assert.That(copy.Details[1].Traits, Is.Empty);
        Assert.That(copy.Raw.ToArray(), Is.EqualTo(original.Raw.ToArray()));
    }

    [Test]
    public void Read_CutShortOrWithTrailingBytes_ThrowsFormatException()
    {
        var original = RouterTestEvents.Create("m1");
        var buffer = new byte[SpoolEventCodec.MaxSize(original) + 1];
        var length = SpoolEventCodec.Write(original, buffer);

        for (var cut = 0; cut < length; cut++)
        {
            Assert.Throws<FormatException>(() => SpoolEventCodec.Read(buffer.AsSpan(0, cut)), $"cut to {cut} bytes");
        }

        Assert.Throws<FormatException>(() => SpoolEventCodec.Read(buffer.AsSpan(0, length + 1)));
    }

    [Test]
    public void WriteRecipe_ThenReadRecipe_GivesBackTheIdTimeRecipeAndBody_WithoutTheTraits()
    {
        var original = RouterTestEvents.Create("id-ü");
        var recipe = new EventRecipe("bürrow", "post cluster with spaces");
        var buffer = new byte[SpoolEventCodec.MaxRecipeSize(original, recipe)];

        var length = SpoolEventCodec.WriteRecipe(original, recipe, buffer);
        var kept = SpoolEventCodec.ReadRecipe(buffer.AsSpan(0, length));

        Assert.That(kept.MessageId, Is.EqualTo("id-ü"));
        Assert.That(kept.EventType, Is.EqualTo(original.EventType));
        Assert.That(kept.Generated, Is.EqualTo(original.Generated));
        Assert.That(kept.Recipe, Is.EqualTo(recipe));
        Assert.That(kept.Raw, Is.EqualTo(original.Raw.ToArray()));
        Assert.That(Encoding.UTF8.GetString(buffer, 0, length), Does.Not.Contain("local").And.Not.Contain("lag"), "the traits are not kept");
        for (var cut = 0; cut < length; cut++)
        {
            Assert.Throws<FormatException>(() => SpoolEventCodec.ReadRecipe(buffer.AsSpan(0, cut)), $"cut to {cut} bytes");
        }
    }
}
