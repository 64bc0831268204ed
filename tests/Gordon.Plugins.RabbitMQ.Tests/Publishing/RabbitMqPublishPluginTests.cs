using System.Text;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.RabbitMQ.Diagnostics;
using Gordon.Plugins.RabbitMQ.Publishing;
using Gordon.Plugins.RabbitMQ.Tests.Support;
using Gordon.Plugins.RabbitMQ.Wire;
using RabbitMQ.Client;

namespace Gordon.Plugins.RabbitMQ.Tests.Publishing;

public sealed class RabbitMqPublishPluginTests : BrokerTestBase
{
    [Test]
    [CancelAfter(60_000)]
    public async Task HandleAsync_Confirmed_SendsWireFormatWithMessageProperties(CancellationToken cancellationToken)
    {
        var exchange = Unique("x");
        var queue = Unique("q");
        await using var probe = await BrokerProbe.ConnectAsync(Url);
        await probe.DeclareQueueAsync(queue, exchange, "prod.orders");
        var (plugin, harness) = RabbitPlugins.Publisher(Url, exchange);
        await plugin.StartAsync(cancellationToken);
        var message = new TestEventMessage(RabbitPlugins.LagEvent(1));
        message.AppendToHistory(new HistoryEntry("consume", "burrow", HistoryOutcome.Emitted, DateTimeOffset.UnixEpoch));

        await plugin.HandleAsync(message, cancellationToken);
        var got = await probe.GetAsync(queue);
        await plugin.StopAsync(cancellationToken);

        Assert.That(got, Is.Not.Null, "the message is in the queue bound with routing key prod.orders");
        var decoded = WireFormat.Deserialize(got!.Body);
        Assert.Multiple(() =>
        {
            Assert.That(got.RoutingKey, Is.EqualTo("prod.orders"));
            Assert.That(got.BasicProperties.ContentType, Is.EqualTo("application/json"));
            Assert.That(got.BasicProperties.MessageId, Is.EqualTo("lag-000001"));
            Assert.That(got.BasicProperties.DeliveryMode, Is.EqualTo(DeliveryModes.Persistent));
            Assert.That(got.BasicProperties.Type, Is.EqualTo("burrow.consumer_status"));
            Assert.That(Encoding.UTF8.GetString(got.Body.Span), Does.StartWith("{\"v\":1,"));
            Assert.That(decoded.History.Single().Plugin, Is.EqualTo("burrow"));
            Assert.That(harness.Metrics.Count(RabbitMqMetrics.PublishConfirmed), Is.EqualTo(1));
        });
        WireSamples.AssertSame(decoded.Event, message.Data);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task HandleAsync_MissingTrait_RoutesWithTheDefault(CancellationToken cancellationToken)
    {
        var exchange = Unique("x");
        var queue = Unique("q");
        await using var probe = await BrokerProbe.ConnectAsync(Url);
        await probe.DeclareQueueAsync(queue, exchange, "prod.none");
        var (plugin, _) = RabbitPlugins.Publisher(Url, exchange, ("routing_key_default", "none"));
        await plugin.StartAsync(cancellationToken);
        var @event = new Event { MessageId = "m", EventType = "t", Generated = DateTimeOffset.UnixEpoch, Traits = [Trait.String("cluster", "prod")] };

        await plugin.HandleAsync(new TestEventMessage(@event), cancellationToken);
        await plugin.StopAsync(cancellationToken);

        Assert.That(await probe.ReadyAsync(queue), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task HandleAsync_NoQueueBound_FailsAsReturned(CancellationToken cancellationToken)
    {
        var (plugin, harness) = RabbitPlugins.Publisher(Url, Unique("x"));
        await plugin.StartAsync(cancellationToken);

        var error = Assert.ThrowsAsync<RabbitMqPublishException>(async () => await plugin.HandleAsync(new TestEventMessage(RabbitPlugins.LagEvent(2)), cancellationToken));
        await plugin.StopAsync(cancellationToken);

        Assert.That(error!.Message, Does.Contain("no queue is bound").And.Contain("lag-000002").And.Contain("prod.orders"));
        Assert.That(harness.Metrics.Count(RabbitMqMetrics.PublishFailed, "returned"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task HandleAsync_BrokerNacks_Throws(CancellationToken cancellationToken)
    {
        var exchange = Unique("x");
        var queue = Unique("q");
        await using var probe = await BrokerProbe.ConnectAsync(Url);
        // A full queue that rejects publishes: the broker nacks the second message.
        await probe.DeclareQueueAsync(queue, exchange, "#", new Dictionary<string, object?> { ["x-max-length"] = 1, ["x-overflow"] = "reject-publish" });
        var (plugin, harness) = RabbitPlugins.Publisher(Url, exchange);
        await plugin.StartAsync(cancellationToken);

        await plugin.HandleAsync(new TestEventMessage(RabbitPlugins.LagEvent(1)), cancellationToken);
        var error = Assert.ThrowsAsync<RabbitMqPublishException>(async () => await plugin.HandleAsync(new TestEventMessage(RabbitPlugins.LagEvent(2)), cancellationToken));
        await plugin.StopAsync(cancellationToken);

        Assert.That(error!.Message, Does.Contain("refused message lag-000002 (nack)"));
        Assert.That(harness.Metrics.Count(RabbitMqMetrics.PublishFailed, "nack"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task HandleAsync_BrokerUnreachable_FailsAfterPublishWait_AndReportsDegraded(CancellationToken cancellationToken)
    {
        var (plugin, harness) = RabbitPlugins.Publisher($"amqp://guest:guest@127.0.0.1:{ClosedPort()}/", "x", ("publish_wait", "300ms"));
        await plugin.StartAsync(cancellationToken);

        var error = Assert.ThrowsAsync<RabbitMqPublishException>(async () => await plugin.HandleAsync(new TestEventMessage(RabbitPlugins.LagEvent(1)), cancellationToken));
        await Eventually.UntilAsync(() => harness.Metrics.Count(RabbitMqMetrics.ConnectionFailures) >= 2, "the publisher has retried the connection");
        var health = plugin.GetHealth();
        await plugin.StopAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("is unreachable (waited 00:00:00.3000000, publish_wait)").And.Contain("lag-000001"));
            Assert.That(health.State, Is.EqualTo(PluginHealthState.Degraded));
            Assert.That(health.Detail, Does.Contain("unreachable"));
            Assert.That(harness.Metrics.Count(RabbitMqMetrics.PublishFailed, "unavailable"), Is.EqualTo(1));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task WrongPassword_IsUnhealthyAtOnce_AndNeverLogsThePassword(CancellationToken cancellationToken)
    {
        var url = Url.Replace("guest:guest@", "guest:Wr0ngS3cret@", StringComparison.Ordinal);
        var (plugin, harness) = RabbitPlugins.Publisher(url, "x", ("publish_wait", "0s"));
        await plugin.StartAsync(cancellationToken);

        await Eventually.UntilAsync(() => harness.Metrics.Count(RabbitMqMetrics.ConnectionFailures) >= 1, "a login was refused");
        var health = plugin.GetHealth();
        await plugin.StopAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(health.State, Is.EqualTo(PluginHealthState.Unhealthy));
            Assert.That(health.Detail, Does.Contain("login refused").Or.Contain("ACCESS_REFUSED"));
            Assert.That(health.Detail, Does.Not.Contain("Wr0ngS3cret"));
            Assert.That(harness.Logger.AllText, Does.Not.Contain("Wr0ngS3cret"));
            Assert.That(harness.Logger.AllText, Does.Contain("amqp://guest@127.0.0.1:"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task DeclareFalse_MissingExchange_IsUnhealthyAndNamesIt(CancellationToken cancellationToken)
    {
        var exchange = Unique("missing");
        var (plugin, harness) = RabbitPlugins.Publisher(Url, exchange, ("declare", false), ("publish_wait", "0s"));
        await plugin.StartAsync(cancellationToken);

        await Eventually.UntilAsync(() => harness.Metrics.Count(RabbitMqMetrics.ConnectionFailures) >= 1, "the passive declare failed");
        var health = plugin.GetHealth();
        await plugin.StopAsync(cancellationToken);

        Assert.That(health.State, Is.EqualTo(PluginHealthState.Unhealthy));
        Assert.That(health.Detail, Does.Contain("404").And.Contain(exchange));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
