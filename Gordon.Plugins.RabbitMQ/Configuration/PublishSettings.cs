using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.RabbitMQ.Configuration;

/// <summary>The settings of <c>rabbitmq.publish</c>: the broker's, plus the routing key and the confirm policy.</summary>
internal sealed record PublishSettings
{
    /// <summary>The keys only this plugin reads (the consumer marks them used when [rabbitmq] holds them).</summary>
    public static readonly IReadOnlyList<string> OwnKeys = ["routing_key", "routing_key_default", "confirm_timeout", "publish_wait", "mandatory"];

    public required BrokerSettings Broker { get; init; }

    public required RoutingKeyTemplate RoutingKey { get; init; }

    /// <summary>How long a published message may wait for the broker's confirm before the publish fails.</summary>
    public TimeSpan ConfirmTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a publish waits for a connection to the broker before it fails (and the router retries).</summary>
    public TimeSpan PublishWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Ask the broker to return a message no queue is bound for, so it fails instead of vanishing.</summary>
    public bool Mandatory { get; init; } = true;

    /// <summary>Reads <c>[rabbitmq.publish]</c>; bad values are recorded on <paramref name="config"/>.</summary>
    /// <param name="config">The plugin's table (with the keys inherited from [rabbitmq]).</param>
    /// <returns>The settings.</returns>
    public static PublishSettings Read(ConfigSection config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var broker = BrokerSettings.Read(config);
        foreach (var key in ConsumeSettings.OwnKeys)
        {
            config.MarkUsed(key);
        }

        const string DefaultTemplate = "{cluster}.{group}";
        var text = config.GetString("routing_key", DefaultTemplate);
        var fallback = config.GetString("routing_key_default", "_");
        if (!RoutingKeyTemplate.TryParse(text, fallback, out var template, out var error))
        {
            config.AddProblem("routing_key", error!);
            RoutingKeyTemplate.TryParse(DefaultTemplate, fallback, out template, out _);
        }

        var defaults = new PublishSettings { Broker = broker, RoutingKey = template! };
        return defaults with
        {
            ConfirmTimeout = config.GetDuration("confirm_timeout", defaults.ConfirmTimeout, min: TimeSpan.FromMilliseconds(10)),
            PublishWait = config.GetDuration("publish_wait", defaults.PublishWait),
            Mandatory = config.GetBoolean("mandatory", defaults.Mandatory),
        };
    }
}
