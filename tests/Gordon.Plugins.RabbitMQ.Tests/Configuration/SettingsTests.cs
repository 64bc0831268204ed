using Gordon.Plugins.RabbitMQ.Configuration;
using Gordon.Plugins.RabbitMQ.Tests.Support;

namespace Gordon.Plugins.RabbitMQ.Tests.Configuration;

public sealed class SettingsTests
{
    [Test]
    public void Publish_EmptyTable_UsesDocumentedDefaults()
    {
        var config = TestConfig.Section("rabbitmq.publish");

        var settings = PublishSettings.Read(config);

        Assert.Multiple(() =>
        {
            Assert.That(config.Problems, Is.Empty);
            Assert.That(settings.Broker.Address.Redacted, Is.EqualTo("amqp://guest@127.0.0.1:5672/"));
            Assert.That(settings.Broker.Exchange, Is.EqualTo("gordon"));
            Assert.That(settings.Broker.ExchangeType, Is.EqualTo(ExchangeKind.Topic));
            Assert.That(settings.Broker.Declare, Is.True);
            Assert.That(settings.RoutingKey.Text, Is.EqualTo("{cluster}.{group}"));
            Assert.That(settings.ConfirmTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(settings.PublishWait, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(settings.Mandatory, Is.True);
        });
    }

    [Test]
    public void Consume_EmptyTable_UsesDocumentedDefaults()
    {
        var config = TestConfig.Section("rabbitmq.consume");

        var settings = ConsumeSettings.Read(config);

        Assert.Multiple(() =>
        {
            Assert.That(config.Problems, Is.Empty);
            Assert.That(settings.Queue, Is.EqualTo("gordon"));
            Assert.That(settings.QueueType, Is.EqualTo(QueueType.Classic));
            Assert.That(settings.BindingKeys, Is.EqualTo(new[] { "#" }));
            Assert.That(settings.Prefetch, Is.EqualTo(100));
            Assert.That(settings.DeadLetterExchange, Is.Empty);
            Assert.That(settings.RequeueBackoff, Is.EqualTo(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public void Consume_EveryKey_IsRead()
    {
        var config = TestConfig.Section(
            "rabbitmq.consume",
            ("url", "amqp://w:pw@mq:5670/v"),
            ("username", "worker"),
            ("password", "other"),
            ("exchange", "lag"),
            ("exchange_type", "direct"),
            ("declare", false),
            ("connect_timeout", "2s"),
            ("heartbeat", "0s"),
            ("reconnect_backoff_initial", "100ms"),
            ("reconnect_backoff_max", "5s"),
            ("unhealthy_after", "10s"),
            ("queue", "q"),
            ("queue_type", "quorum"),
            ("binding_keys", new[] { "prod.*", "test.#" }),
            ("prefetch", 10),
            ("dead_letter_exchange", "dlx"),
            ("dead_letter_queue", "dlq"),
            ("delivery_limit", 5),
            ("requeue_backoff", "250ms"));

        var settings = ConsumeSettings.Read(config);

        Assert.Multiple(() =>
        {
            Assert.That(config.Problems, Is.Empty);
            Assert.That(config.FindUnknownKeys(), Is.Empty);
            Assert.That(settings.Broker.Address, Is.EqualTo(settings.Broker.Address with { Host = "mq", Port = 5670, VirtualHost = "v", UserName = "worker", Password = "other" }));
            Assert.That(settings.Broker.ExchangeType, Is.EqualTo(ExchangeKind.Direct));
            Assert.That(settings.Broker.Declare, Is.False);
            Assert.That(settings.Broker.Heartbeat, Is.EqualTo(TimeSpan.Zero));
            Assert.That(settings.Broker.ReconnectBackoffInitial, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
            Assert.That(settings.QueueType, Is.EqualTo(QueueType.Quorum));
            Assert.That(settings.BindingKeys, Is.EqualTo(new[] { "prod.*", "test.#" }));
            Assert.That(settings.Prefetch, Is.EqualTo(10));
            Assert.That(settings.DeliveryLimit, Is.EqualTo(5));
            Assert.That(settings.RequeueBackoff, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
        });
    }

    [Test]
    public void Publish_KeysMeantForTheConsumer_InheritedFromRabbitmq_AreNotReportedUnknown()
    {
        var config = TestConfig.Section("rabbitmq.publish", ("url", "amqp://h/"), ("queue", "q"), ("prefetch", 5), ("quue", "typo"));

        PublishSettings.Read(config);

        Assert.That(config.FindUnknownKeys().Select(p => p.KeyPath), Is.EqualTo(new[] { "rabbitmq.publish.quue" }));
    }

    [Test]
    public void Consume_KeysMeantForThePublisher_AreNotReportedUnknown()
    {
        var config = TestConfig.Section("rabbitmq.consume", ("routing_key", "{x}"), ("confirm_timeout", "1s"));

        ConsumeSettings.Read(config);

        Assert.That(config.FindUnknownKeys(), Is.Empty);
    }

    [TestCase("prefetch", 0, "rabbitmq.consume.prefetch", "an integer from 1 to 65535")]
    [TestCase("prefetch", 70000, "rabbitmq.consume.prefetch", "an integer from 1 to 65535")]
    [TestCase("queue_type", "stream", "rabbitmq.consume.queue_type", "one of \"classic\", \"quorum\"")]
    [TestCase("exchange_type", "x-delayed", "rabbitmq.consume.exchange_type", "one of \"direct\", \"topic\", \"fanout\", \"headers\"")]
    [TestCase("queue", "", "rabbitmq.consume.queue", "must name a queue")]
    [TestCase("queue", "amq.gen", "rabbitmq.consume.queue", "reserved amq. namespace")]
    [TestCase("exchange", "amq.topic", "rabbitmq.consume.exchange", "set declare = false")]
    [TestCase("delivery_limit", 3, "rabbitmq.consume.delivery_limit", "only quorum queues")]
    [TestCase("dead_letter_queue", "dlq", "rabbitmq.consume.dead_letter_queue", "needs dead_letter_exchange")]
    [TestCase("connect_timeout", "1ms", "rabbitmq.consume.connect_timeout", "from 100ms to 10m")]
    [TestCase("username", "", "rabbitmq.consume.username", "must not be empty")]
    public void Consume_BadValue_IsReportedByKey(string key, object value, string path, string expected)
    {
        var config = TestConfig.Section("rabbitmq.consume", (key, value));

        ConsumeSettings.Read(config);

        Assert.That(config.Problems.Select(p => (Path: p.KeyPath, p.Message)), Has.Some.Matches<(string Path, string Message)>(p => p.Path == path && p.Message.Contains(expected, StringComparison.Ordinal)));
    }

    [Test]
    public void Publish_BadRoutingKeyTemplate_IsReported()
    {
        var config = TestConfig.Section("rabbitmq.publish", ("routing_key", "{cluster.{group}"));

        PublishSettings.Read(config);

        Assert.That(config.Problems.Single().ToString(), Does.Contain("rabbitmq.publish.routing_key").And.Contain("not closed"));
    }

    [Test]
    public void Broker_BackoffMaxBelowInitial_IsReported()
    {
        var config = TestConfig.Section("rabbitmq.publish", ("reconnect_backoff_initial", "10s"), ("reconnect_backoff_max", "1s"));

        PublishSettings.Read(config);

        Assert.That(config.Problems.Single().ToString(), Does.Contain("reconnect_backoff_max").And.Contain("at least reconnect_backoff_initial (10s)"));
    }

    [Test]
    public void Broker_BadUrl_IsReportedWithoutItsPassword()
    {
        var config = TestConfig.Section("rabbitmq.publish", ("url", "amqp://user:hunter2@host/a/b"));

        PublishSettings.Read(config);

        var problem = config.Problems.Single().ToString();
        Assert.That(problem, Does.Contain("rabbitmq.publish.url").And.Not.Contain("hunter2"));
    }
}
