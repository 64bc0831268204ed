using System.Net;
using Gordon.Abstractions.Messaging;
using Gordon.Plugins.Burrow.Tests.Support;

namespace Gordon.Plugins.Burrow.Tests.Webhook;

public sealed class KarrotReadEndpointsTests
{
    private static readonly FakeDaemonInfo Daemon = new(
        FakeDaemonInfo.Handler("burrow.enrich", "enrich"),
        FakeDaemonInfo.Handler("prometheus", "publish"),
        FakeDaemonInfo.Handler("cloudwatch", "publish"),
        new("burrow", "runnable", null, "1.0.0", "running", "/plugins/burrow.dll"));

    [Test]
    [CancelAfter(30_000)]
    public async Task Heartbeat_AnswersKarrotsShape(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);

        using var response = await bed.Client.GetAsync(new Uri("/heartbeat", UriKind.Relative), cancellationToken);
        var json = await WebhookTestBed.ReadJsonAsync(response, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("success"));
        Assert.That(json.GetProperty("msg").GetString(), Does.EndWith("is healthy"));
        Assert.That(json.GetProperty("time").GetString(), Does.Match(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Root_RedirectsToHeartbeat(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);

        using var response = await bed.Client.GetAsync(new Uri("/", UriKind.Relative), cancellationToken);

        Assert.That((int)response.StatusCode, Is.EqualTo(302));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/heartbeat"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Reporters_WithoutSlash_RedirectsToTheSlashForm(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);

        using var response = await bed.Client.GetAsync(new Uri("/reporters", UriKind.Relative), cancellationToken);

        Assert.That((int)response.StatusCode, Is.EqualTo(308));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/reporters/"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Reporters_ListsThePublishPhaseHandlersInRouteOrder(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, Daemon);

        using var response = await bed.Client.GetAsync(new Uri("/reporters/", UriKind.Relative), cancellationToken);
        var json = await WebhookTestBed.ReadJsonAsync(response, cancellationToken);

        Assert.That(json.GetProperty("reporters").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "prometheus", "cloudwatch" }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Reporter_BeforeAnyEvent_HasNullLastEvent(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, Daemon);

        using var response = await bed.Client.GetAsync(new Uri("/reporters/cloudwatch", UriKind.Relative), cancellationToken);
        var json = await WebhookTestBed.ReadJsonAsync(response, cancellationToken);

        var entry = json.GetProperty("reporters")[0].GetProperty("cloudwatch");
        Assert.That(entry.GetProperty("last_event_timestamp").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        Assert.That(entry.GetProperty("last_event").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Reporter_AfterDelivery_ShowsTheLastEventItHandled_AndWhen(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, Daemon);
        using var posted = await bed.PostAsync(BurrowBodies.KarrotOpenWarn, cancellationToken);
        var (emitted, observer) = bed.Sink.Emitted.Single();
        var handledAt = new DateTimeOffset(2024, 6, 10, 6, 22, 40, TimeSpan.Zero);

        // What the router's history says: prometheus handled it in publish; cloudwatch failed.
        observer!.OnDelivered(
            new DeliveredMessage(
                emitted,
                "publish",
                new HistoryEntry("consume", "router", HistoryOutcome.Emitted, handledAt.AddSeconds(-1)),
                new HistoryEntry("enrich", "burrow.enrich", HistoryOutcome.Handled, handledAt.AddSeconds(-1)),
                new HistoryEntry("publish", "prometheus", HistoryOutcome.Handled, handledAt),
                new HistoryEntry("publish", "cloudwatch", HistoryOutcome.Failed, handledAt)),
            DeliveryOutcome.DeadLettered);

        using var prometheus = await bed.Client.GetAsync(new Uri("/reporters/prometheus", UriKind.Relative), cancellationToken);
        var json = await WebhookTestBed.ReadJsonAsync(prometheus, cancellationToken);
        using var cloudwatch = await bed.Client.GetAsync(new Uri("/reporters/cloudwatch", UriKind.Relative), cancellationToken);
        var cloudwatchJson = await WebhookTestBed.ReadJsonAsync(cloudwatch, cancellationToken);

        var entry = json.GetProperty("reporters")[0].GetProperty("prometheus");
        Assert.Multiple(() =>
        {
            Assert.That(entry.GetProperty("last_event_timestamp").GetString(), Is.EqualTo("Mon, 10 Jun 2024 06:22:40 GMT"));
            Assert.That(entry.GetProperty("last_event").GetProperty("Cluster").GetString(), Is.EqualTo("prod-east"));
            Assert.That(entry.GetProperty("last_event").GetProperty("Result").GetProperty("totallag").GetInt64(), Is.EqualTo(8785));
            Assert.That(entry.GetProperty("last_event_message_id").GetString(), Is.EqualTo(emitted.MessageId));
            Assert.That(
                cloudwatchJson.GetProperty("reporters")[0].GetProperty("cloudwatch").GetProperty("last_event").ValueKind,
                Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Reporter_UnknownName_AnswersAnEmptyList(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, Daemon);

        using var response = await bed.Client.GetAsync(new Uri("/reporters/stdout", UriKind.Relative), cancellationToken);
        var json = await WebhookTestBed.ReadJsonAsync(response, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(json.GetProperty("reporters").GetArrayLength(), Is.Zero);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task KarrotRoutesOff_MapsOnlyTheWebhook(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, config: ("karrot_routes", false));

        using var heartbeat = await bed.Client.GetAsync(new Uri("/heartbeat", UriKind.Relative), cancellationToken);
        using var posted = await bed.PostAsync(BurrowBodies.BareStatus, cancellationToken);

        Assert.That(heartbeat.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
