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
