using Gordon.Plugins.RabbitMQ.Connection;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Gordon.Plugins.RabbitMQ.Publishing;

/// <summary>A connection with one channel in confirm mode, the exchange declared; shared by concurrent publishes.</summary>
internal sealed class PublisherSession : IBrokerSession
{
    private readonly SessionLifetime _lifetime;

    private PublisherSession(IConnection connection, IChannel channel)
    {
        Channel = channel;
        _lifetime = new SessionLifetime(connection, channel);
    }

    /// <summary>The channel; confirms are tracked by the client, so a publish completes when the broker confirms it.</summary>
    public IChannel Channel { get; }

    public bool IsOpen => _lifetime.IsOpen;

    public Task<ShutdownEventArgs> Closed => _lifetime.Closed;

    /// <summary>Connects, opens a confirm-mode channel and declares the exchange.</summary>
    /// <param name="connector">Opens the connection.</param>
    /// <param name="clientName">The connection's name in the broker.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The session.</returns>
    public static async Task<PublisherSession> OpenAsync(BrokerConnector connector, string clientName, CancellationToken cancellationToken)
    {
        var connection = await connector.ConnectAsync(clientName, cancellationToken).ConfigureAwait(false);
        try
        {
            var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken).ConfigureAwait(false);
            await connector.DeclareExchangeAsync(channel, cancellationToken).ConfigureAwait(false);
            return new PublisherSession(connection, channel);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await _lifetime.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
}
