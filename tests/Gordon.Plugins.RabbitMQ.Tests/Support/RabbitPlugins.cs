using Gordon.Abstractions.Events;
using Gordon.Plugins.RabbitMQ.Consuming;
using Gordon.Plugins.RabbitMQ.Publishing;

namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>Builds the two plugins against a test broker, with short timeouts and backoffs, and test events.</summary>
internal static class RabbitPlugins
{
    public static (RabbitMqPublishPlugin Plugin, PluginHarness Harness) Publisher(string url, string exchange, params (string Key, object Value)[] extra)
    {
        var config = TestConfig.Section(
            "rabbitmq.publish",
            [("url", url), ("exchange", exchange), ("reconnect_backoff_initial", "100ms"), ("reconnect_backoff_max", "500ms"), .. extra]);
        var harness = new PluginHarness("rabbitmq.publish", config);
        var plugin = new RabbitMqPublishPlugin(harness.Context);
        Assert.That(config.Problems, Is.Empty, "the test config must be valid");
        return (plugin, harness);
    }

    public static (RabbitMqConsumePlugin Plugin, PluginHarness Harness) Consumer(
        string url,
        string exchange,
        string queue,
        TestPipeline pipeline,
        params (string Key, object Value)[] extra)
    {
        var config = TestConfig.Section(
            "rabbitmq.consume",
            [("url", url), ("exchange", exchange), ("queue", queue), ("reconnect_backoff_initial", "100ms"), ("reconnect_backoff_max", "500ms"), ("requeue_backoff", "50ms"), .. extra]);
        var harness = new PluginHarness("rabbitmq.consume", config, pipeline);
        var plugin = new RabbitMqConsumePlugin(harness.Context);
        Assert.That(config.Problems, Is.Empty, "the test config must be valid");
        return (plugin, harness);
    }

    public static Event LagEvent(int n, string cluster = "prod", string group = "orders") => new()
    {
        MessageId = $"lag-{n:D6}",
        EventType = "burrow.consumer_status",
        Generated = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero).AddTicks(n),
        Traits = [Trait.String("cluster", cluster), Trait.String("group", group), Trait.Integer("n", n)],
    };
}
