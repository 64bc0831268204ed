using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.RabbitMQ.Configuration;

/// <summary>
/// The keys both RabbitMQ plugins read, usually written once in <c>[rabbitmq]</c> and inherited by
/// <c>[rabbitmq.publish]</c> and <c>[rabbitmq.consume]</c>: the broker, the exchange, and the reconnect policy.
/// </summary>
internal sealed record BrokerSettings
{
    /// <summary>Every key this record reads: a sibling plugin marks them used, since [rabbitmq] passes them to both.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "url", "username", "password", "exchange", "exchange_type", "declare", "connect_timeout", "heartbeat",
        "reconnect_backoff_initial", "reconnect_backoff_max", "unhealthy_after",
    ];

    public required AmqpAddress Address { get; init; }

    /// <summary>The exchange; empty is the broker's default exchange (routing key = queue name).</summary>
    public string Exchange { get; init; } = "gordon";

    public ExchangeKind ExchangeType { get; init; } = ExchangeKind.Topic;

    /// <summary>Declare (create if missing) the exchange and queues; false only checks that they exist.</summary>
    public bool Declare { get; init; } = true;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>AMQP heartbeat; zero turns it off.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ReconnectBackoffInitial { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectBackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the broker may be unreachable before health turns from degraded to unhealthy.</summary>
    public TimeSpan UnhealthyAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Reads the shared keys; bad values are recorded on <paramref name="config"/> and replaced by defaults.</summary>
    /// <param name="config">The plugin's table (with the keys inherited from [rabbitmq]).</param>
    /// <returns>The settings.</returns>
    public static BrokerSettings Read(ConfigSection config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var defaults = new BrokerSettings { Address = DefaultAddress() };
        var address = ReadAddress(config);

        var declare = config.GetBoolean("declare", defaults.Declare);
        var exchange = config.GetString("exchange", defaults.Exchange);
        if (exchange.StartsWith("amq.", StringComparison.Ordinal) && declare)
        {
            // The broker refuses to declare names in the reserved amq. namespace unless they exist already as declared.
            config.AddProblem("exchange", $"'{exchange}' is in the broker's reserved amq. namespace: use another name, or set declare = false to use the built-in one");
        }

        var initial = config.GetDuration("reconnect_backoff_initial", defaults.ReconnectBackoffInitial, min: TimeSpan.FromMilliseconds(10));
        var max = config.GetDuration("reconnect_backoff_max", defaults.ReconnectBackoffMax, min: TimeSpan.FromMilliseconds(10));
        if (max < initial)
        {
            config.AddProblem(
                "reconnect_backoff_max",
                $"must be at least reconnect_backoff_initial ({ConfigParsers.FormatDuration(initial)}), got {ConfigParsers.FormatDuration(max)}");
            max = initial;
        }

        return new BrokerSettings
        {
            Address = address,
            Exchange = exchange,
            ExchangeType = config.GetEnum("exchange_type", defaults.ExchangeType),
            Declare = declare,
            ConnectTimeout = config.GetDuration("connect_timeout", defaults.ConnectTimeout, min: TimeSpan.FromMilliseconds(100), max: TimeSpan.FromMinutes(10)),
            Heartbeat = config.GetDuration("heartbeat", defaults.Heartbeat, max: TimeSpan.FromSeconds(ushort.MaxValue)),
            ReconnectBackoffInitial = initial,
            ReconnectBackoffMax = max,
            UnhealthyAfter = config.GetDuration("unhealthy_after", defaults.UnhealthyAfter),
        };
    }

    private static AmqpAddress DefaultAddress()
    {
        AmqpAddress.TryParse(AmqpAddress.DefaultUrl, out var address, out _);
        return address!;
    }

    private static AmqpAddress ReadAddress(ConfigSection config)
    {
        var address = DefaultAddress();
        // Read as a plain string and parsed here: the typed URL reader would echo a bad value, password included.
        var url = config.GetString("url", AmqpAddress.DefaultUrl);
        if (!AmqpAddress.TryParse(url, out var parsed, out var error))
        {
            config.AddProblem("url", error!);
        }
        else
        {
            address = parsed!;
        }

        // Separate keys so the password can live in an environment variable or a secret-named key, out of the URL.
        if (config.GetOptionalString("username") is { } userName)
        {
            if (userName.Length == 0)
            {
                config.AddProblem("username", "must not be empty");
            }
            else
            {
                address = address with { UserName = userName };
            }
        }

        if (config.GetOptionalString("password") is { } password)
        {
            address = address with { Password = password };
        }

        return address;
    }
}
