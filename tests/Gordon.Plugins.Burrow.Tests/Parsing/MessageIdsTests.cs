using System.Text;
using Gordon.Plugins.Burrow.Parsing;
using Gordon.Plugins.Burrow.Tests.Support;

namespace Gordon.Plugins.Burrow.Tests.Parsing;

public sealed class MessageIdsTests
{
    [Test]
    public void SameBody_GivesTheSameId_AndItsUtf8Form()
    {
        var body = Encoding.UTF8.GetBytes(BurrowBodies.KarrotOpenWarn);
        var utf8 = new byte[MessageIds.Length];

        var first = MessageIds.ForWebhook(body, isDelete: false, utf8);
        var second = MessageIds.ForWebhook(body.ToArray(), isDelete: false, new byte[MessageIds.Length]);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(first, Does.Match("^[0-9a-f]{32}$"));
        Assert.That(Encoding.ASCII.GetString(utf8), Is.EqualTo(first));
    }

    [Test]
    public void PooledHashing_GivesTheSameIds_AsOneShot()
    {
        var pool = new HashPool();
        var body = Encoding.UTF8.GetBytes(BurrowBodies.KarrotOpenWarn);

        foreach (var isDelete in new[] { false, true, false })
        {
            Assert.That(MessageIds.ForWebhook(body, isDelete, new byte[32], pool), Is.EqualTo(MessageIds.ForWebhook(body, isDelete, new byte[32])));
        }
    }

    [Test]
    public void DifferentBodies_AndDeleteVersusPost_GiveDifferentIds()
    {
        var open = Encoding.UTF8.GetBytes(BurrowBodies.KarrotOpenWarn);
        var close = Encoding.UTF8.GetBytes(BurrowBodies.KarrotCloseOk);

        var ids = new[]
        {
            MessageIds.ForWebhook(open, false, new byte[32]),
            MessageIds.ForWebhook(close, false, new byte[32]),
            MessageIds.ForWebhook(open, true, new byte[32]),
        };

        Assert.That(ids, Is.Unique);
    }

    [Test]
    public void PollIds_DependOnTheBodyAndThePollTime()
    {
        var body = Encoding.UTF8.GetBytes(BurrowBodies.ApiLag());
        var at = new DateTimeOffset(2024, 6, 10, 6, 0, 0, TimeSpan.Zero);

        var id = MessageIds.ForPoll(body, at);

        Assert.That(MessageIds.ForPoll(body.ToArray(), at), Is.EqualTo(id));
        Assert.That(MessageIds.ForPoll(body, at.AddSeconds(30)), Is.Not.EqualTo(id));
        Assert.That(MessageIds.ForPoll(Encoding.UTF8.GetBytes(BurrowBodies.ApiLag(totalLag: 6)), at), Is.Not.EqualTo(id));
    }
}
