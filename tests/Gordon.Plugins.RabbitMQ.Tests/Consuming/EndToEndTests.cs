using Gordon.Plugins.RabbitMQ.Diagnostics;
using Gordon.Plugins.RabbitMQ.Tests.Support;

namespace Gordon.Plugins.RabbitMQ.Tests.Consuming;

/// <summary>Many messages from the publisher plugin through RabbitMQ to the consumer plugin, with faults on the way.</summary>
public sealed class EndToEndTests : BrokerTestBase
{
    [Test]
    [CancelAfter(180_000)]
    public async Task ThousandMessages_Prefetch10_NoneLostNoneLeft(CancellationToken cancellationToken)
    {
        var (exchange, queue) = (Unique("x"), Unique("q"));
        await using var pipeline = new TestPipeline(workers: 4);
        var (consumer, consumerHarness) = RabbitPlugins.Consumer(Url, exchange, queue, pipeline, ("prefetch", 10), ("queue_type", "quorum"));
        await using var running = await RunningConsumer.StartAsync(consumer, Url, queue);
        var (publisher, publisherHarness) = RabbitPlugins.Publisher(Url, exchange);
        await publisher.StartAsync(cancellationToken);
        var events = Enumerable.Range(0, 1000).Select(i => RabbitPlugins.LagEvent(i, group: "g" + (i % 7))).ToList();

        var failures = await RetryingPublisher.PublishAllAsync(publisher, events, workers: 16, cancellationToken);
        await Eventually.UntilAsync(() => consumerHarness.Metrics.Count(RabbitMqMetrics.Acked) == 1000, "every message was acked", TimeSpan.FromSeconds(120));
        await publisher.StopAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Zero);
            Assert.That(publisherHarness.Metrics.Count(RabbitMqMetrics.PublishConfirmed), Is.EqualTo(1000));
            Assert.That(pipeline.Emitted.Select(e => e.MessageId).Order(), Is.EqualTo(events.Select(e => e.MessageId)), "each exactly once");
        });
        Assert.That(await running.CountsAsync(Broker, VirtualHost), Is.EqualTo((0, 0)));
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task ConnectionsKilledMidStream_PublisherAndConsumerRecover_NothingLost(CancellationToken cancellationToken)
    {
        // Its own virtual host: closing all its connections must not touch the other tests'.
        var virtualHost = await Broker.CreateVirtualHostAsync(cancellationToken: cancellationToken);
        var url = Broker.Url(virtualHost);
        var (exchange, queue) = (Unique("x"), Unique("q"));
        // Slow enough that deliveries are in flight, unacknowledged, whenever the connections are killed.
        await using var pipeline = new TestPipeline(workers: 2)
        {
            Handler = async (_, ct) =>
            {
                await Task.Delay(1, ct);
                return Gordon.Abstractions.Messaging.DeliveryOutcome.Done;
            },
        };
        var (consumer, consumerHarness) = RabbitPlugins.Consumer(url, exchange, queue, pipeline, ("prefetch", 10), ("queue_type", "quorum"));
        await using var running = await RunningConsumer.StartAsync(consumer, url, queue);
        var (publisher, publisherHarness) = RabbitPlugins.Publisher(url, exchange);
        await publisher.StartAsync(cancellationToken);
        var events = Enumerable.Range(0, 1000).Select(i => RabbitPlugins.LagEvent(i)).ToList();

        // Two publishing workers: publishes are in flight (sent, not yet confirmed) whenever the connections are killed.
        var publishing = RetryingPublisher.PublishAllAsync(publisher, events, workers: 2, cancellationToken);
        await Eventually.UntilAsync(() => publisherHarness.Metrics.Count(RabbitMqMetrics.PublishConfirmed) >= 300, "a third was published");
        await Broker.CloseAllConnectionsAsync(virtualHost, cancellationToken);
        await Eventually.UntilAsync(() => publisherHarness.Metrics.Count(RabbitMqMetrics.PublishConfirmed) >= 600, "publishing resumed after the recovery");
        await Broker.CloseAllConnectionsAsync(virtualHost, cancellationToken);
        var publishRetries = await publishing;
        await Eventually.UntilAsync(
            () => pipeline.Emitted.Select(e => e.MessageId).Distinct().Count() == 1000,
            "every message arrived at least once",
            TimeSpan.FromSeconds(120));
        await Eventually.UntilAsync(async () => await running.CountsAsync(Broker, virtualHost) == (0, 0), "the queue drained and every delivery was settled");
        await publisher.StopAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(publisherHarness.Metrics.Count(RabbitMqMetrics.ConnectionsLost), Is.GreaterThanOrEqualTo(2));
            Assert.That(consumerHarness.Metrics.Count(RabbitMqMetrics.ConnectionsLost), Is.GreaterThanOrEqualTo(2));
            Assert.That(publisher.GetHealth().State, Is.EqualTo(Gordon.Abstractions.Plugins.PluginHealthState.Healthy));
            Assert.That(consumer.GetHealth().State, Is.EqualTo(Gordon.Abstractions.Plugins.PluginHealthState.Healthy));
        });
        TestContext.Out.WriteLine(
            $"duplicates (redelivered after the kills, at-least-once): {pipeline.Emitted.Count - 1000}; publish retries: "
            + $"{publishRetries}; settlements lost with a channel: {consumerHarness.Metrics.Count(RabbitMqMetrics.SettleLost)}");
    }
}
