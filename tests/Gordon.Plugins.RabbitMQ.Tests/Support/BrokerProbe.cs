using RabbitMQ.Client;

namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>A plain client connection for tests to look at queues and put raw messages on them.</summary>
internal sealed class BrokerProbe : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private BrokerProbe(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public IChannel Channel => _channel;

    public static async Task<BrokerProbe> ConnectAsync(string url)
    {
        var factory = new ConnectionFactory { Uri = new Uri(url), AutomaticRecoveryEnabled = false };
        var connection = await factory.CreateConnectionAsync("gordon test probe");
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new BrokerProbe(connection, channel);
    }

    /// <summary>Messages ready in the queue (not counting those delivered and not yet acknowledged).</summary>
    public async Task<uint> ReadyAsync(string queue) => (await _channel.QueueDeclarePassiveAsync(queue)).MessageCount;

    public async Task DeclareQueueAsync(string queue, string exchange, string bindingKey, IDictionary<string, object?>? arguments = null)
    {
        await _channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments);
        if (exchange.Length > 0)
        {
            await _channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false);
            await _channel.QueueBindAsync(queue, exchange, bindingKey);
        }
    }

    public async Task PublishRawAsync(string exchange, string routingKey, byte[] body, string? messageId = null)
    {
        var properties = new BasicProperties { MessageId = messageId, DeliveryMode = DeliveryModes.Persistent };
        await _channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body);
    }

    public async Task<BasicGetResult?> GetAsync(string queue) => await _channel.BasicGetAsync(queue, autoAck: true);

    public async ValueTask DisposeAsync()
    {
        if (_channel.IsOpen)
        {
            await _channel.CloseAsync();
        }

        await _connection.CloseAsync();
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
