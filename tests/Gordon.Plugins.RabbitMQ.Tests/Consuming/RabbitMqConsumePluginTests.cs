using System.Text;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.RabbitMQ.Diagnostics;
using Gordon.Plugins.RabbitMQ.Tests.Support;

namespace Gordon.Plugins.RabbitMQ.Tests.Consuming;

public sealed class RabbitMqConsumePluginTests : BrokerTestBase
{
    [Test]
    [CancelAfter(60_000)]
    public async Task RoundTrip_PublishThenConsume_PreservesTheEventExactly(CancellationToken cancellationToken)
    {
        var (exchange, queue) = (Unique("x"), Unique("q"));
        await using var pipeline = new TestPipeline();
        var (consumer, _) = RabbitPlugins.Consumer(Url, exchange, queue, pipeline);
        await using var running = await RunningConsumer.StartAsync(consumer, Url, queue);
        var (publisher, _) = RabbitPlugins.Publisher(Url, exchange);
        await publisher.StartAsync(cancellationToken);
        var original = WireSamples.Full();

        await publisher.HandleAsync(new TestEventMessage(original), cancellationToken);
        await Eventually.UntilAsync(() => pipeline.Delivered.Count == 1, "the event went through the pipeline");
        await publisher.StopAsync(cancellationToken);

        WireSamples.AssertSame(pipeline.Emitted.Single(), original);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Ack_IsSentOnlyWhenThePipelineReportsDone(CancellationToken cancellationToken)
    {
        var (exchange, queue) = (Unique("x"), Unique("q"));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pipeline = new TestPipeline();
        pipeline.Handler = async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return DeliveryOutcome.Done;
        };
        var (consumer, harness) = RabbitPlugins.Consumer(Url, exchange, queue, pipeline);
        await using var running = await RunningConsumer.StartAsync(consumer, Url, queue);
        await using var probe = await BrokerProbe.ConnectAsync(Url);
        await probe.PublishRawAsync(exchange, "prod.orders", Serialized(1));

        await Eventually.UntilAsync(() => pipeline.Emitted.Count == 1, "the message is in the pipeline");
        var (readyBefore, unackedBefore) = await running.CountsAsync(Broker, VirtualHost);
        release.SetResult();
        await Eventually.UntilAsync(() => harness.Metrics.Count(RabbitMqMetrics.Acked) == 1, "the ack was sent");
        await Eventually.UntilAsync(async () => await running.CountsAsync(Broker, VirtualHost) == (0, 0), "the broker forgot the message");

        Assert.That((readyBefore, unackedBefore), Is.EqualTo((0, 1)), "while the pipeline works, the message is delivered and unacknowledged");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task DeadLetteredHere_IsRejectedToTheDeadLetterExchange_NotAcked(CancellationToken cancellationToken)
    {
        var (exchange, queue, dlx, dlq) = (Unique("x"), Unique("q"), Unique("dlx"), Unique("dlq"));
        await using var pipeline = new TestPipeline { Handler = (_, _) => Task.FromResult(DeliveryOutcome.DeadLettered) };
        var (consumer, harness) = RabbitPlugins.Consumer(Url, exchange, queue, pipeline, ("dead_letter_exchange", dlx), ("dead_letter_queue", dlq));
        await using var running = await RunningConsumer.StartAsync(consumer, Url, queue);
        await using var probe = await BrokerProbe.ConnectAsync(Url);

        await probe.PublishRawAsync(exchange, "prod.orders", Serialized(7));
        await Eventually.UntilAsync(async () => await probe.ReadyAsync(dlq) == 1, "the message reached the dead-letter queue");

        var dead = await probe.GetAsync(dlq);
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(dead!.Body.Span), Does.Contain("lag-000007"));
            Assert.That(harness.Metrics.Count(RabbitMqMetrics.Acked), Is.Zero);
            Assert.That(harness.Metrics.Count(RabbitMqMetrics.Rejected, "dead_lettered"), Is.EqualTo(1));
        });
        Assert.That(await running.CountsAsync(Broker, VirtualHost), Is.EqualTo((0, 0)));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task LeftAtTheDrainDeadline_IsRequeued_NotDeadLettered(CancellationToken cancellationToken)
    {
        var (exchange, queue, dlx, dlq) = (Unique("x"), Unique("q"), Unique("dlx"), Unique("dlq"));
        var calls = 0;
        await using var pipeline = new TestPipeline
        {
            // The first delivery is what a stopping daemon's drain deadline cuts off; the redelivery is done.
            Handler = (_, _) => Task.FromResult(Interlocked.Increment(ref calls) == 1 ? DeliveryOutcome.DeadLettered : DeliveryOutcome.Done),
            FinalEntry = (_, outcome) => outcome == DeliveryOutcome.DeadLettered
                ? new HistoryEntry("publish", "router", HistoryOutcome.DeadLettered, DateTimeOffset.UnixEpoch, "drain-timeout: The drain deadline passed before the message was done.")
                : null,
        };
        var (consumer, harness) = RabbitPlugins.Consumer(Url, exchange, queue, pipeline, ("dead_letter_exchange", dlx), ("dead_letter_queue", dlq));
        await using var running = await RunningConsumer.StartAsync(consumer, Url, queue);
        await using var probe = await BrokerProbe.ConnectAsync(Url);

        await probe.PublishRawAsync(exchange, "k", Serialized(4));
        await Eventually.UntilAsync(() => harness.Metrics.Count(RabbitMqMetrics.Acked) == 1, "the redelivery was done and acked");

        Assert.Multiple(() =>
        {
            Assert.That(harness.Metrics.Count(RabbitMqMetrics.Requeued, "drain_timeout"), Is.EqualTo(1));
            Assert.That(pipeline.Emitted.Select(e => e.MessageId), Is.EqualTo(new[] { "lag-000004", "lag-000004" }));
        });
        Assert.That(await probe.ReadyAsync(dlq), Is.Zero);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Undecodable_IsRejectedToTheDeadLetterExchange_Counted_AndConsumingGoesOn(CancellationToken cancellationToken)
    {
        var (exchange, queue, dlx, dlq) = (Unique("x"), Unique("q"), Unique("dlx"), Unique("dlq"));
        await using var pipeline = new TestPipeline();
        var (consumer, harness) = RabbitPlugins.Consumer(Url, exchange, queue, pipeline, ("dead_letter_exchange", dlx), ("dead_letter_queue", dlq));
        await using var running = await RunningConsumer.StartAsync(consumer, Url, queue);
        await using var probe = await BrokerProbe.ConnectAsync(Url);

        await probe.PublishRawAsync(exchange, "k", Encoding.UTF8.GetBytes("{\"not\":\"gordon\"}"), messageId: "garbage-1");
        await probe.PublishRawAsync(exchange, "k", [0xde, 0xad, 0xbe, 0xef], messageId: "garbage-2");
        await probe.PublishRawAsync(exchange, "k", Encoding.UTF8.GetBytes("{\"v\":9,\"event\":{}}"), messageId: "future-1");
        await probe.PublishRawAsync(exchange, "k", Serialized(3));
        await Eventually.UntilAsync(() => pipeline.Delivered.Count == 1, "the good message went through");
        await Eventually.UntilAsync(async () => await probe.ReadyAsync(dlq) == 3, "the three bad ones are in the dead-letter queue");

        Assert.Multiple(() =>
        {
            Assert.That(pipeline.Emitted.Single().MessageId, Is.EqualTo("lag-000003"));
            Assert.That(harness.Metrics.Count(RabbitMqMetrics.Rejected, "undecodable"), Is.EqualTo(3));
            Assert.That(harness.Logger.AllText, Does.Contain("Rejected undecodable message garbage-1").And.Contain("no \"v\" field"));
            Assert.That(harness.Logger.AllText, Does.Contain("future-1").And.Contain("version 9 is newer"));
            Assert.That(consumer.GetHealth(), Is.EqualTo(PluginHealth.Healthy));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task PipelineFull_MessageIsRequeuedAfterTheBackoff_ThenDelivered(CancellationToken cancellationToken)
    {
        var (exchange, queue) = (Unique("x"), Unique("q"));
        await using var pipeline = new TestPipeline();
        pipeline.RefuseNext(3);
        var (consumer, harness) = RabbitPlugins.Consumer(Url, exchange, queue, pipeline);
        await using var running = await RunningConsumer.StartAsync(consumer, Url, queue);
        await using var probe = await BrokerProbe.ConnectAsync(Url);

        await probe.PublishRawAsync(exchange, "k", Serialized(5));
        await Eventually.UntilAsync(() => pipeline.Delivered.Count == 1, "the message went through in the end");
        await Eventually.UntilAsync(() => harness.Metrics.Count(RabbitMqMetrics.Acked) == 1, "it was acked");

        Assert.Multiple(() =>
        {
            Assert.That(pipeline.Refused, Is.EqualTo(3));
            Assert.That(harness.Metrics.Count(RabbitMqMetrics.Requeued, "pipeline_full"), Is.EqualTo(3));
            Assert.That(pipeline.Emitted.Single().MessageId, Is.EqualTo("lag-000005"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Prefetch_BoundsTheMessagesInFlight(CancellationToken cancellationToken)
    {
        var (exchange, queue) = (Unique("x"), Unique("q"));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pipeline = new TestPipeline(workers: 4);
        pipeline.Handler = async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return DeliveryOutcome.Done;
        };
        var (consumer, _) = RabbitPlugins.Consumer(Url, exchange, queue, pipeline, ("prefetch", 10));
        await using var running = await RunningConsumer.StartAsync(consumer, Url, queue);
        await using var probe = await BrokerProbe.ConnectAsync(Url);
        for (var i = 0; i < 50; i++)
        {
            await probe.PublishRawAsync(exchange, "k", Serialized(i));
        }

        await Eventually.UntilAsync(async () => await running.CountsAsync(Broker, VirtualHost) == (40, 10), "ten messages are delivered, forty wait");
        var inPipeline = pipeline.Emitted.Count;
        release.SetResult();
        await Eventually.UntilAsync(() => pipeline.Delivered.Count == 50, "all fifty went through");

        Assert.That(inPipeline, Is.EqualTo(10));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Stopping_MessagesFinishingDuringTheDrain_AreStillAcked(CancellationToken cancellationToken)
    {
        var (exchange, queue) = (Unique("x"), Unique("q"));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pipeline = new TestPipeline();
        pipeline.Handler = async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return DeliveryOutcome.Done;
        };
        var (consumer, harness) = RabbitPlugins.Consumer(Url, exchange, queue, pipeline);
        var running = await RunningConsumer.StartAsync(consumer, Url, queue);
        await using var probe = await BrokerProbe.ConnectAsync(Url);
        await probe.PublishRawAsync(exchange, "k", Serialized(1));
        await Eventually.UntilAsync(() => pipeline.Emitted.Count == 1, "the message is in the pipeline");

        await running.CancelAsync();
        await probe.PublishRawAsync(exchange, "k", Serialized(2));
        release.SetResult();
        await Eventually.UntilAsync(() => harness.Metrics.Count(RabbitMqMetrics.Acked) == 1, "the drained message was acked");
        await consumer.StopAsync(cancellationToken);

        Assert.That(pipeline.Emitted.Select(e => e.MessageId), Is.EqualTo(new[] { "lag-000001" }), "no delivery after the runnable was cancelled");
        Assert.That(await probe.ReadyAsync(queue), Is.EqualTo(1), "the message sent after the stop waits in the queue");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Stopped_MessageNotDone_GoesBackToTheQueue(CancellationToken cancellationToken)
    {
        var (exchange, queue) = (Unique("x"), Unique("q"));
        await using var pipeline = new TestPipeline();
        pipeline.Handler = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return DeliveryOutcome.Done;
        };
        var (consumer, harness) = RabbitPlugins.Consumer(Url, exchange, queue, pipeline);
        var running = await RunningConsumer.StartAsync(consumer, Url, queue);
        await using var probe = await BrokerProbe.ConnectAsync(Url);
        await probe.PublishRawAsync(exchange, "k", Serialized(1));
        await Eventually.UntilAsync(() => pipeline.Emitted.Count == 1, "the message is in the pipeline");

        await running.CancelAsync();
        await consumer.StopAsync(cancellationToken);

        Assert.That(harness.Metrics.Count(RabbitMqMetrics.Acked), Is.Zero);
        await Eventually.UntilAsync(async () => await probe.ReadyAsync(queue) == 1, "the unfinished message is back in the queue");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task QuorumQueue_IsDeclaredAsQuorumWithItsDeadLetterExchange(CancellationToken cancellationToken)
    {
        var (exchange, queue, dlx) = (Unique("x"), Unique("q"), Unique("dlx"));
        await using var pipeline = new TestPipeline();
        var (consumer, _) = RabbitPlugins.Consumer(Url, exchange, queue, pipeline, ("queue_type", "quorum"), ("dead_letter_exchange", dlx), ("delivery_limit", 5));
        await using var running = await RunningConsumer.StartAsync(consumer, Url, queue);
        var (publisher, _) = RabbitPlugins.Publisher(Url, exchange);
        await publisher.StartAsync(cancellationToken);

        await publisher.HandleAsync(new TestEventMessage(RabbitPlugins.LagEvent(9)), cancellationToken);
        await Eventually.UntilAsync(() => pipeline.Delivered.Count == 1, "the event went through the quorum queue");
        await publisher.StopAsync(cancellationToken);
        var listing = await Broker.CtlAsync(["list_queues", "-p", VirtualHost, "--no-table-headers", "name", "type", "durable", "arguments"]);

        var line = listing.Split('\n').Single(l => l.StartsWith(queue, StringComparison.Ordinal));
        Assert.That(line, Does.Contain("quorum").And.Contain("true").And.Contain(dlx).And.Contain("x-delivery-limit"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ExistingQueueOfAnotherType_IsUnhealthyNamingTheArgument(CancellationToken cancellationToken)
    {
        var queue = Unique("q");
        await using (var probe = await BrokerProbe.ConnectAsync(Url))
        {
            await probe.DeclareQueueAsync(queue, string.Empty, string.Empty);
        }

        await using var pipeline = new TestPipeline();
        var (consumer, harness) = RabbitPlugins.Consumer(Url, Unique("x"), queue, pipeline, ("queue_type", "quorum"));
        using var stop = new CancellationTokenSource();
        var run = consumer.RunAsync(stop.Token);
        await Eventually.UntilAsync(() => harness.Metrics.Count(RabbitMqMetrics.ConnectionFailures) >= 1, "the declare was refused");
        var health = consumer.GetHealth();
        await stop.CancelAsync();
        await run;
        await consumer.StopAsync(cancellationToken);

        Assert.That(health.State, Is.EqualTo(PluginHealthState.Unhealthy));
        Assert.That(health.Detail, Does.Contain("406").And.Contain("x-queue-type"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task BrokerUnreachable_ConsumerKeepsRetrying_ReportsDegraded_AndStopsCleanly(CancellationToken cancellationToken)
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var pipeline = new TestPipeline();
        var (consumer, harness) = RabbitPlugins.Consumer($"amqp://guest:guest@127.0.0.1:{port}/", "x", "q", pipeline);
        using var stop = new CancellationTokenSource();

        var run = consumer.RunAsync(stop.Token);
        await Eventually.UntilAsync(() => harness.Metrics.Count(RabbitMqMetrics.ConnectionFailures) >= 3, "three connection attempts failed");
        var health = consumer.GetHealth();
        await stop.CancelAsync();
        await run;
        await consumer.StopAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(run.IsCompletedSuccessfully, Is.True, "an unreachable broker never crashes the runnable");
            Assert.That(health.State, Is.EqualTo(PluginHealthState.Degraded));
            Assert.That(harness.Logger.AllText, Does.Contain($"Cannot connect to RabbitMQ at amqp://guest@127.0.0.1:{port}/"));
        });
    }

    private static byte[] Serialized(int n) => Gordon.Plugins.RabbitMQ.Wire.WireFormat.Serialize(RabbitPlugins.LagEvent(n), []);
}
