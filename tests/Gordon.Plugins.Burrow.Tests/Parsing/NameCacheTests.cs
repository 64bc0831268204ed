using System.Text;
using System.Text.Json;
using Gordon.Plugins.Burrow.Parsing;
using Gordon.Plugins.Burrow.Tests.Support;

namespace Gordon.Plugins.Burrow.Tests.Parsing;

public sealed class NameCacheTests
{
    [Test]
    public void RepeatedName_IsTheSameString()
    {
        var cache = new NameCache();

        var first = Read(cache, "\"orders-enricher\"");
        var second = Read(cache, "\"orders-enricher\"");

        Assert.That(second, Is.EqualTo("orders-enricher"));
        Assert.That(second, Is.SameAs(first));
    }

    [TestCase("\"a\\\"b\\\\c\\nd\"", "a\"b\\c\nd")]
    [TestCase("\"\\u00f8rders \\ud83d\\ude00\"", "ørders 😀")]
    [TestCase("\"\"", "")]
    public void EscapedAndNonAsciiNames_AreDecodedLikeGetString(string json, string expected)
    {
        Assert.That(Read(new NameCache(), json), Is.EqualTo(expected));
    }

    [Test]
    public void EscapedNames_AreDecodedButNotCached()
    {
        var cache = new NameCache();

        var value = Read(cache, "\"a\\u0041\"");

        Assert.That(value, Is.EqualTo("aA"));
        Assert.That(cache.Count, Is.Zero);
    }

    [Test]
    public void LongValues_AreReadButNotCached()
    {
        var cache = new NameCache();
        var longName = new string('x', NameCache.MaxLength + 1);

        var value = Read(cache, "\"" + longName + "\"");

        Assert.That(value, Is.EqualTo(longName));
        Assert.That(cache.Count, Is.Zero);
    }

    [Test]
    public void FullCache_StartsOver_AndStaysBounded()
    {
        var cache = new NameCache(capacity: 3);

        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            Read(cache, "\"" + name + "\"");
        }

        Assert.That(cache.Count, Is.LessThanOrEqualTo(3));
        Assert.That(Read(cache, "\"e\""), Is.EqualTo("e"));
    }

    [Test]
    public void ParsingWithACache_GivesTheSameEventAsWithout()
    {
        var body = Encoding.UTF8.GetBytes(BurrowBodies.KarrotOpenWarn);
        var cache = new NameCache();

        var plain = BurrowReportParser.Parse(body, false, null);
        var cached = BurrowReportParser.Parse(body, false, null, cache);
        var again = BurrowReportParser.Parse(body, false, null, cache);

        var a = ConsumerStatusEventFactory.Create(plain, "id", Reports.Received, body, "webhook");
        var b = ConsumerStatusEventFactory.Create(again, "id", Reports.Received, body, "webhook");
        Assert.That(b.Traits, Is.EqualTo(a.Traits));
        Assert.That(b.Details.Select(d => d.Traits), Is.EqualTo(a.Details.Select(d => d.Traits)));
        Assert.That(again.Status.Cluster, Is.SameAs(cached.Status.Cluster));
    }

    private static string Read(NameCache cache, string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return cache.Get(ref reader);
    }
}
