using Gordon.Plugins.Prometheus.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Prometheus.Tests.Exposition;

/// <summary>A real Prometheus server scrapes the plugin (negotiating OpenMetrics, as it does) and answers queries on what it stored.</summary>
[TestFixture]
public sealed class PrometheusServerTests
{
    [Test]
    [CancelAfter(90_000)]
    public async Task PrometheusScrapesTheDaemon_AndAQueryThroughItsApiReturnsTheLagFedIn(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(), null, cancellationToken);
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());
        await host.HandleAsync(ConsumerStatus.For("prod-east", "say \"hi\" \\ grüße\nnext").Status("OK").TotalLag(42).Build());
        host.Relay.HandlerCall("prometheus", "publish");
        await using var prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{host.Address.Port}", "/metrics", cancellationToken);
        var timeout = TimeSpan.FromSeconds(45);

        var lag = await prometheus.QueryUntilFoundAsync("karrot_consumer_lag{cluster=\"prod-east\",consumer=\"orders-enricher\"}", timeout, cancellationToken);
        var burrow = await prometheus.QueryUntilFoundAsync("burrow_kafka_consumer_partition_lag{consumer_group=\"orders-enricher\",partition=\"1\"}", timeout, cancellationToken);

        // The escaped group name arrives intact through Prometheus's own parser.
        var escaped = await prometheus.QueryUntilFoundAsync("karrot_consumer_lag{consumer=\"say \\\"hi\\\" \\\\ grüße\\nnext\"}", timeout, cancellationToken);
        var events = await prometheus.QueryUntilFoundAsync("karrot_reporter_events_count_total{reporter=\"prometheus\"}", timeout, cancellationToken);
        var up = await prometheus.QueryUntilFoundAsync("up{job=\"gordon\"}", timeout, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(lag.Single().Value, Is.EqualTo(8785));
            Assert.That(lag.Single().Labels["job"], Is.EqualTo("gordon"));
            Assert.That(burrow.Single().Value, Is.EqualTo(4810));
            Assert.That(escaped.Single().Value, Is.EqualTo(42));
            Assert.That(events.Single().Value, Is.EqualTo(1));
            Assert.That(up.Single().Value, Is.EqualTo(1), "every scrape succeeded");
        });
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task BurrowPostsAReport_AndAQueryThroughPrometheusReturnsItsLag(CancellationToken cancellationToken)
    {
        // The real Burrow webhook plugin on the same server, its events handed to this plugin as the publish phase would.
        await using var host = await PluginHost.StartAsync(
            TestConfig.Prometheus(), null, cancellationToken, context => new Gordon.Plugins.Burrow.Webhook.BurrowWebhookPlugin(context));
        await using var prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{host.Address.Port}", "/metrics", cancellationToken);

        // The reference notes' §2.7 (c): Karrot's envelope, an open WARN incident, total lag 8785.
        using var body = new StringContent("""
            {"Event":{"Cluster":"prod-east","Group":"orders-enricher","ID":"3f0b6c1e-9a4d-4c2b-8e7f-5d1a2b3c4d5e",
              "Start":"2024-06-10T06:22:35.418207144Z","Extras":{"env":"prod","team":"payments"},
              "Result":{"cluster":"prod-east","group":"orders-enricher","status":"WARN","complete":1,
                "partitions":[
                  {"topic":"orders","partition":1,"owner":"/10.20.3.17","client_id":"orders-enricher-2","status":"WARN",
                   "start":{"offset":5001200,"timestamp":1718000000000,"observedAt":1718000000041,"lag":1200},
                   "end":{"offset":5013400,"timestamp":1718000540000,"observedAt":1718000540037,"lag":4650},"current_lag":4810,"complete":1},
                  {"topic":"orders","partition":4,"owner":"/10.20.3.18","client_id":"orders-enricher-5","status":"WARN",
                   "start":{"offset":4870050,"timestamp":1718000002000,"observedAt":1718000002052,"lag":900},
                   "end":{"offset":4881900,"timestamp":1718000542000,"observedAt":1718000542049,"lag":3700},"current_lag":3920,"complete":1}],
                "partition_count":6,
                "maxlag":{"topic":"orders","partition":1,"owner":"/10.20.3.17","client_id":"orders-enricher-2","status":"WARN",
                  "start":{"offset":5001200,"timestamp":1718000000000,"observedAt":1718000000041,"lag":1200},
                  "end":{"offset":5013400,"timestamp":1718000540000,"observedAt":1718000540037,"lag":4650},
                  "current_lag":4810,"complete":1},
                "totallag":8785}}}
            """, System.Text.Encoding.UTF8, "application/json");
        using var posted = await host.Client.PostAsync(new Uri("burrow", UriKind.Relative), body, cancellationToken);
        var timeout = TimeSpan.FromSeconds(45);

        var lag = await prometheus.QueryUntilFoundAsync("karrot_consumer_lag{cluster=\"prod-east\",consumer=\"orders-enricher\"}", timeout, cancellationToken);
        var burrow = await prometheus.QueryUntilFoundAsync("burrow_kafka_consumer_lag_total{consumer_group=\"orders-enricher\"}", timeout, cancellationToken);
        var partition = await prometheus.QueryUntilFoundAsync("burrow_kafka_consumer_partition_lag{consumer_group=\"orders-enricher\",partition=\"4\"}", timeout, cancellationToken);
        var incident = await prometheus.QueryUntilFoundAsync("burrow_kafka_consumer_incident_open{consumer_group=\"orders-enricher\"}", timeout, cancellationToken);
        var events = await prometheus.QueryUntilFoundAsync("karrot_reporter_events_count_total{reporter=\"prometheus\"}", timeout, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That((int)posted.StatusCode, Is.EqualTo(200));
            Assert.That(lag.Single().Value, Is.EqualTo(8785));
            Assert.That(burrow.Single().Value, Is.EqualTo(8785));
            Assert.That(partition.Single().Value, Is.EqualTo(3920));
            Assert.That(incident.Single().Value, Is.EqualTo(1));
            Assert.That(events.Single().Value, Is.EqualTo(1));
        });
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task PrometheusSeesALagChange_AndTheSeriesEndWhenTheGroupExpires(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 6, 10, 6, 30, 0, TimeSpan.Zero));
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("series_ttl", "10m")), time, cancellationToken);
        await host.HandleAsync(ConsumerStatus.For("prod-east", "billing").Status("OK").TotalLag(5).Build());
        await using var prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{host.Address.Port}", "/metrics", cancellationToken);
        var timeout = TimeSpan.FromSeconds(45);
        _ = await prometheus.QueryUntilFoundAsync("karrot_consumer_lag{consumer=\"billing\"} == 5", timeout, cancellationToken);

        await host.HandleAsync(ConsumerStatus.For("prod-east", "billing").Status("OK").TotalLag(6).Build());
        var changed = await prometheus.QueryUntilFoundAsync("karrot_consumer_lag{consumer=\"billing\"} == 6", timeout, cancellationToken);

        // Not reported again: after series_ttl the series disappears from the scrape, and Prometheus marks it stale
        // (an instant query then returns nothing), where Karrot kept exporting the last value for ever.
        time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        _ = await prometheus.QueryUntilFoundAsync("absent(karrot_consumer_lag{consumer=\"billing\"})", timeout, cancellationToken);
        Assert.That(changed.Single().Value, Is.EqualTo(6));
    }
}
