using Gordon.Abstractions.Plugins;
using Gordon.Plugins.RabbitMQ.Diagnostics;
using Gordon.Plugins.RabbitMQ.Tests.Support;

namespace Gordon.Plugins.RabbitMQ.Tests.Publishing;

/// <summary>
/// Faults of the whole node (memory alarm, application stopped): they would disturb every other test on the shared
/// node, so these run alone.
/// </summary>
[NonParallelizable]
public sealed class BrokerOutageTests : BrokerTestBase
{
    [Test]
    [CancelAfter(120_000)]
    public async Task HandleAsync_WhileTheBrokerBlocksPublishers_CompletesOnlyOnceConfirmed(CancellationToken cancellationToken)
    {
        var (exchange, queue) = (Unique("x"), Unique("q"));
        await using var probe = await BrokerProbe.ConnectAsync(Url);
        await probe.DeclareQueueAsync(queue, exchange, "#");
        var (publisher, harness) = RabbitPlugins.Publisher(Url, exchange);
        await publisher.StartAsync(cancellationToken);
        await publisher.HandleAsync(new TestEventMessage(RabbitPlugins.LagEvent(0)), cancellationToken);

        Task pending;
        await Broker.SetMemoryHighWatermarkAsync(0, cancellationToken);
        try
        {
            pending = publisher.HandleAsync(new TestEventMessage(RabbitPlugins.LagEvent(1)), cancellationToken).AsTask();
            // Proof that it waits: the broker reads nothing from a blocked publisher, so no confirm can come while the
            // alarm is on; a handler that returned before the confirm would complete here.
            var early = await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken));
            Assert.That(early, Is.Not.SameAs(pending), "the publish completed while the broker could not have confirmed it");
            Assert.That(await probe.ReadyAsync(queue), Is.EqualTo(1), "only the first message is in the queue");
        }
        finally
        {
            await Broker.SetMemoryHighWatermarkAsync(0.4, CancellationToken.None);
        }

        await pending;
        await publisher.StopAsync(cancellationToken);

        Assert.That(await probe.ReadyAsync(queue), Is.EqualTo(2));
        Assert.That(harness.Metrics.Count(RabbitMqMetrics.PublishConfirmed), Is.EqualTo(2));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task HandleAsync_NoConfirmWithinConfirmTimeout_Throws(CancellationToken cancellationToken)
    {
        var (exchange, queue) = (Unique("x"), Unique("q"));
        await using var probe = await BrokerProbe.ConnectAsync(Url);
        await probe.DeclareQueueAsync(queue, exchange, "#");
        var (publisher, harness) = RabbitPlugins.Publisher(Url, exchange, ("confirm_timeout", "500ms"));
        await publisher.StartAsync(cancellationToken);
        await publisher.HandleAsync(new TestEventMessage(RabbitPlugins.LagEvent(0)), cancellationToken);

        await Broker.SetMemoryHighWatermarkAsync(0, cancellationToken);
        TimeoutException? error;
        try
        {
            error = Assert.ThrowsAsync<TimeoutException>(async () => await publisher.HandleAsync(new TestEventMessage(RabbitPlugins.LagEvent(1)), cancellationToken));
        }
        finally
        {
            await Broker.SetMemoryHighWatermarkAsync(0.4, CancellationToken.None);
        }

        await publisher.StopAsync(cancellationToken);
        Assert.That(error!.Message, Does.Contain("did not confirm message lag-000001 within 00:00:00.5000000 (confirm_timeout)"));
        Assert.That(harness.Metrics.Count(RabbitMqMetrics.PublishFailed, "timeout"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task BrokerRestarted_PublisherWaitsAndResumes_ConsumerRecovers_NothingLost(CancellationToken cancellationToken)
    {
        var (exchange, queue) = (Unique("x"), Unique("q"));
        await using var pipeline = new TestPipeline();
        var (consumer, consumerHarness) = RabbitPlugins.Consumer(Url, exchange, queue, pipeline, ("queue_type", "quorum"));
        await using var running = await RunningConsumer.StartAsync(consumer, Url, queue);
        var (publisher, publisherHarness) = RabbitPlugins.Publisher(Url, exchange, ("publish_wait", "60s"));
        await publisher.StartAsync(cancellationToken);
        await publisher.HandleAsync(new TestEventMessage(RabbitPlugins.LagEvent(0)), cancellationToken);
        await Eventually.UntilAsync(() => pipeline.Delivered.Count == 1, "the first message went through");

        await Broker.StopAppAsync(cancellationToken);
        Task waiting;
        try
        {
            await Eventually.UntilAsync(() => publisher.GetHealth().State == PluginHealthState.Degraded, "the publisher noticed the broker is gone");
            waiting = publisher.HandleAsync(new TestEventMessage(RabbitPlugins.LagEvent(1)), cancellationToken).AsTask();
            await Eventually.UntilAsync(() => publisherHarness.Metrics.Count(RabbitMqMetrics.ConnectionFailures) >= 1, "a reconnect attempt failed");
            Assert.That(waiting.IsCompleted, Is.False, "the publish waits for the broker instead of failing");
            Assert.That(consumer.GetHealth().State, Is.EqualTo(PluginHealthState.Degraded));
        }
        finally
        {
            await Broker.StartAppAsync(CancellationToken.None);
        }

        await waiting;
        await Eventually.UntilAsync(() => pipeline.Delivered.Count == 2, "the message published after the restart went through");
        await publisher.StopAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(pipeline.Emitted.Select(e => e.MessageId), Is.EqualTo(new[] { "lag-000000", "lag-000001" }));
            Assert.That(publisher.GetHealth(), Is.EqualTo(PluginHealth.Healthy));
            Assert.That(consumer.GetHealth(), Is.EqualTo(PluginHealth.Healthy));
            Assert.That(consumerHarness.Metrics.Count(RabbitMqMetrics.ConnectionsLost), Is.GreaterThanOrEqualTo(1));
        });
    }
}
