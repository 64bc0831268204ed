using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>A message as the router would hand it to a handler.</summary>
internal sealed class TestEventMessage(Event data, string phase = "publish") : IEventMessage
{
    private readonly List<HistoryEntry> _history = [];

    public string MsgId => Data.MessageId;

    public Event Data { get; } = data;

    public string Phase { get; } = phase;

    public IReadOnlyList<HistoryEntry> History => _history;

    public void AppendToHistory(HistoryEntry entry) => _history.Add(entry);
}
