using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Prometheus.Push;
using Gordon.Plugins.Prometheus.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Prometheus.Tests.Push;

/// <summary>Push mode against a real Pushgateway.</summary>
[TestFixture]
public sealed class PushgatewayTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task PushMode_PushesToTheGateway_EveryInterval(CancellationToken cancellationToken)
    {
        await using var gateway = await Pushgateway.StartAsync(cancellationToken);
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 6, 10, 6, 30, 0, TimeSpan.Zero));
        await using var host = await PluginHost.StartAsync(
            TestConfig.Prometheus(("push_url", gateway.Address.ToString()), ("push_interval", "15s"), ("push_job", "gordon"), ("push_instance", "host-1")),
            time,
            cancellationToken);
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());
        var before = await gateway.MetricsAsync(cancellationToken);

        time.Advance(TimeSpan.FromSeconds(15));
        var pushed = await WaitForAsync(gateway, "karrot_consumer_lag{", cancellationToken);

        Assert.That(before, Does.Not.Contain("karrot_consumer_lag{"), "nothing pushed before the interval");
        var parsed = Support.Exposition.Parse(pushed, openMetrics: false);
        var lag = parsed.Find("karrot_consumer_lag", ("consumer", "orders-enricher"));
        Assert.That(lag?.Value, Is.EqualTo(8785));
        Assert.That(lag?.Labels["job"], Is.EqualTo("gordon"));
        Assert.That(lag?.Labels["instance"], Is.EqualTo("host-1"));
        Assert.That(host.Plugin.GetHealth().State, Is.EqualTo(PluginHealthState.Healthy));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task PushMode_PushesTheFinalStateOnStop_WithJobAndInstanceOfAnyCharacters(CancellationToken cancellationToken)
    {
        await using var gateway = await Pushgateway.StartAsync(cancellationToken);
        await using var host = await PluginHost.StartAsync(
            TestConfig.Prometheus(("push_url", gateway.Address.ToString()), ("push_interval", "1h"), ("push_job", "gordon/lag"), ("push_instance", "host:9090/ä")),
            null,
            cancellationToken);
        await host.HandleAsync(ConsumerStatus.For("prod-east", "billing").Status("OK").TotalLag(77).Build());

        await host.StopPluginAsync();
        var pushed = Support.Exposition.Parse(await gateway.MetricsAsync(cancellationToken), openMetrics: false);

        var lag = pushed.Find("karrot_consumer_lag", ("consumer", "billing"));
        Assert.That(lag?.Value, Is.EqualTo(77));
        Assert.That(lag?.Labels["job"], Is.EqualTo("gordon/lag"));
        Assert.That(lag?.Labels["instance"], Is.EqualTo("host:9090/ä"));
        Assert.That(pushed.Find("push_time_seconds", ("job", "gordon/lag")), Is.Not.Null, "the gateway recorded the push");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task PushToAGatewayThatIsDown_DegradesHealth_CountsTheFailure_AndKeepsServing(CancellationToken cancellationToken)
    {
        var nobody = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("push_url", nobody.ToString()), ("push_interval", "1h")), null, cancellationToken);

        var pushed = await host.Plugin.Pusher!.PushAsync(cancellationToken);

        var health = host.Plugin.GetHealth();
        var scrape = await host.ScrapeAsync();
        Assert.That(pushed, Is.False);
        Assert.That(health.State, Is.EqualTo(PluginHealthState.Degraded));
        Assert.That(health.Detail, Does.Contain(nobody.Authority));
        Assert.That(scrape.Value("gordon_prometheus_pushes_total", ("outcome", "error")), Is.EqualTo(1));
    }

    [Test]
    public void GroupUrl_EncodesJobAndInstanceInBase64Url()
    {
        var url = PushgatewayPusher.GroupUrl(new Uri("http://gw:9091/base/"), "gordon/lag", "host?1");

        Assert.That(url.ToString(), Is.EqualTo("http://gw:9091/base/metrics/job@base64/Z29yZG9uL2xhZw/instance@base64/aG9zdD8x"));
    }

    private static async Task<string> WaitForAsync(Pushgateway gateway, string text, CancellationToken cancellationToken)
    {
        // The push runs on the plugin's timer thread once the fake clock ticks; poll the real gateway until it lands.
        while (true)
        {
            var metrics = await gateway.MetricsAsync(cancellationToken);
            if (metrics.Contains(text, StringComparison.Ordinal))
            {
                return metrics;
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
