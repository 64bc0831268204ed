using Gordon.Plugins.RabbitMQ.Configuration;
using RabbitMQ.Client;

namespace Gordon.Plugins.RabbitMQ.Connection;

/// <summary>
/// Opens connections to the broker. The client's automatic recovery is off: the plugins recover themselves, opening a
/// new connection and channel after a loss, so a delivery tag of a dead channel is never acknowledged on a new one
/// and every recovery is visible in logs, metrics and health.
/// </summary>
internal sealed class BrokerConnector
{
    private readonly BrokerSettings _settings;

    public BrokerConnector(BrokerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
    }

    /// <summary>Opens a connection, bounded by <c>connect_timeout</c>.</summary>
    /// <param name="clientName">The name the broker shows for the connection.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The open connection.</returns>
    public Task<IConnection> ConnectAsync(string clientName, CancellationToken cancellationToken)
    {
        var address = _settings.Address;
        var factory = new ConnectionFactory
        {
            HostName = address.Host,
            Port = address.Port,
            VirtualHost = address.VirtualHost,
            UserName = address.UserName,
            Password = address.Password,
            Ssl = new SslOption { Enabled = address.Tls, ServerName = address.Host },
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedConnectionTimeout = _settings.ConnectTimeout,
            HandshakeContinuationTimeout = _settings.ConnectTimeout,
            RequestedHeartbeat = _settings.Heartbeat,
            ClientProvidedName = clientName,
        };
        return factory.CreateConnectionAsync(cancellationToken);
    }

    /// <summary>Declares the exchange (or checks that it exists when <c>declare = false</c>); nothing for the default exchange.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task DeclareExchangeAsync(IChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (_settings.Exchange.Length == 0)
        {
            return;
        }

        if (_settings.Declare)
        {
            await channel.ExchangeDeclareAsync(
                _settings.Exchange,
                ExchangeTypeName(_settings.ExchangeType),
                durable: true,
                autoDelete: false,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await channel.ExchangeDeclarePassiveAsync(_settings.Exchange, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The AMQP name of an exchange type.</summary>
    /// <param name="type">The type.</param>
    /// <returns>e.g. <c>topic</c>.</returns>
    public static string ExchangeTypeName(ExchangeKind type) => type switch
    {
        ExchangeKind.Direct => ExchangeType.Direct,
        ExchangeKind.Fanout => ExchangeType.Fanout,
        ExchangeKind.Headers => ExchangeType.Headers,
        _ => ExchangeType.Topic,
    };
}
