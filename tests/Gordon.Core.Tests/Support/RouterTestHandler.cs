using System.Collections.Concurrent;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;

namespace Gordon.Core.Tests.Support;

/// <summary>A message handler whose behaviour a test supplies; it records every call.</summary>
internal sealed class RouterTestHandler(Func<IEventMessage, int, CancellationToken, ValueTask>? behaviour = null) : IMessageHandler
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private int _total;

    /// <summary>Every call, as message ids in call order.</summary>
    public IReadOnlyList<string> Order => [.. _order];

    /// <summary>Calls in all.</summary>
    public int TotalCalls => Volatile.Read(ref _total);

    /// <summary>Calls made for one message.</summary>
    public int CallsFor(string messageId) => _calls.GetValueOrDefault(messageId);

    public ValueTask HandleAsync(IEventMessage message, CancellationToken cancellationToken)
    {
        var attempt = _calls.AddOrUpdate(message.MsgId, 1, (_, n) => n + 1);
        _order.Enqueue(message.MsgId);
        Interlocked.Increment(ref _total);
        return behaviour is null ? ValueTask.CompletedTask : behaviour(message, attempt, cancellationToken);
    }
}
