using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Gordon.Plugins.RabbitMQ.Connection;

/// <summary>Watches a connection and its channel, and completes <see cref="Closed"/> when either closes.</summary>
internal sealed class SessionLifetime
{
    private readonly TaskCompletionSource<ShutdownEventArgs> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    public SessionLifetime(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
        connection.ConnectionShutdownAsync += OnShutdownAsync;
        channel.ChannelShutdownAsync += OnShutdownAsync;

        // Either may have closed before the handlers were attached.
        if ((connection.CloseReason ?? channel.CloseReason) is { } early)
        {
            _closed.TrySetResult(early);
        }
    }

    public bool IsOpen => !_closed.Task.IsCompleted && _connection.IsOpen && _channel.IsOpen;

    public Task<ShutdownEventArgs> Closed => _closed.Task;

    /// <summary>Closes the channel and the connection, politely when they are still open; never throws.</summary>
    /// <param name="timeout">How long the close handshake may take.</param>
    public async Task CloseAsync(TimeSpan timeout)
    {
        try
        {
            if (_channel.IsOpen)
            {
                await _channel.CloseAsync().WaitAsync(timeout).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The connection's close below ends the channel anyway.
        }

        try
        {
            if (_connection.IsOpen)
            {
                await _connection.CloseAsync(timeout).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Already gone; disposing releases the socket.
        }

        try
        {
            await _channel.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Disposal of a broken connection may throw; there is nothing left to release.
        }
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs reason)
    {
        _closed.TrySetResult(reason);
        return Task.CompletedTask;
    }
}
