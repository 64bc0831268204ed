using RabbitMQ.Client.Events;

namespace Gordon.Plugins.RabbitMQ.Connection;

/// <summary>One connection and its channel; when either closes the session is over and a new one is opened.</summary>
internal interface IBrokerSession : IAsyncDisposable
{
    /// <summary>True until the connection or the channel closes.</summary>
    bool IsOpen { get; }

    /// <summary>Completes, with the reason, when the connection or the channel closes.</summary>
    Task<ShutdownEventArgs> Closed { get; }
}
