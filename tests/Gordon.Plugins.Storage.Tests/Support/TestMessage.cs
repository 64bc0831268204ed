using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.Storage.Tests.Support;

internal sealed class TestMessage(Event data) : IEventMessage
{
    private readonly List<HistoryEntry> _history = [];

    public string MsgId => Data.MessageId;

    public Event Data { get; } = data;

    public string Phase => "publish";

    public IReadOnlyList<HistoryEntry> History => _history;

    public void AppendToHistory(HistoryEntry entry) => _history.Add(entry);
}
