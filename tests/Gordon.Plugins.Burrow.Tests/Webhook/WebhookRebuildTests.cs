using System.Net;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;
using Gordon.Plugins.Burrow.Tests.Support;

namespace Gordon.Plugins.Burrow.Tests.Webhook;

/// <summary>The spool keeps a webhook event as its body and recipe; the plugin must make the same event from them.</summary>
public sealed class WebhookRebuildTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Rebuild_GivesBackTheEventEachMethodMade(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, daemon: null, ("default_cluster", "fallback"));
        foreach (var body in new[] { BurrowBodies.KarrotOpenWarn, BurrowBodies.NotifierPost, BurrowBodies.BareStatus })
        {
            using var posted = await bed.PostAsync(body, cancellationToken);
            Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var request = new HttpRequestMessage(HttpMethod.Delete, "/burrow") { Content = WebhookTestBed.Json(BurrowBodies.NotifierClose) };
        using var deleted = await bed.Client.SendAsync(request, cancellationToken);
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        Assert.That(bed.Sink.Events, Has.Count.EqualTo(4));
        foreach (var emitted in bed.Sink.Events)
        {
            Assert.That(emitted.Recipe, Is.Not.Null.And.Property(nameof(EventRecipe.Plugin)).EqualTo("burrow"));
            AssertSame(bed.Plugin.Rebuild(emitted.Recipe!, emitted.MessageId, emitted.Generated, emitted.Raw.ToArray()), emitted);
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Rebuild_ParsesWithTheDefaultClusterOfTheRequest_NotOfTheConfigNow(CancellationToken cancellationToken)
    {
        Event emitted;
        await using (var then = await WebhookTestBed.StartAsync(cancellationToken, daemon: null, ("default_cluster", "then")))
        {
            using var posted = await then.PostAsync(BurrowBodies.NotifierPost, cancellationToken);
            emitted = then.Sink.Events.Single();
        }

        await using var now = await WebhookTestBed.StartAsync(cancellationToken, daemon: null, ("default_cluster", "now"));
        var rebuilt = now.Plugin.Rebuild(emitted.Recipe!, emitted.MessageId, emitted.Generated, emitted.Raw);

        Assert.That(rebuilt.TryGetTrait(ConsumerStatusTraits.Cluster, out var cluster) ? cluster.StringValue : null, Is.EqualTo("then"));
        AssertSame(rebuilt, emitted);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Rebuild_RecipeThePluginDidNotWrite_ThrowsNamingIt(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);

        Assert.That(
            () => bed.Plugin.Rebuild(new EventRecipe("burrow", "patch"), "id", DateTimeOffset.UnixEpoch, "{}"u8.ToArray()),
            Throws.TypeOf<FormatException>().With.Message.Contains("'patch'"));
    }

    private static void AssertSame(Event rebuilt, Event emitted)
    {
        Assert.That(rebuilt.MessageId, Is.EqualTo(emitted.MessageId));
        Assert.That(rebuilt.EventType, Is.EqualTo(emitted.EventType));
        Assert.That(rebuilt.Generated, Is.EqualTo(emitted.Generated));
        Assert.That(rebuilt.Traits, Is.EqualTo(emitted.Traits));
        Assert.That(rebuilt.Details.Select(d => d.Kind), Is.EqualTo(emitted.Details.Select(d => d.Kind)));
        Assert.That(rebuilt.Details.Select(d => d.Traits), Is.EqualTo(emitted.Details.Select(d => d.Traits)));
        Assert.That(rebuilt.Raw.ToArray(), Is.EqualTo(emitted.Raw.ToArray()));
        Assert.That(rebuilt.Recipe, Is.EqualTo(emitted.Recipe));
    }
}
