using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.Collectors.Tests.Support;

/// <summary>A message in the publish phase carrying one event.</summary>
internal sealed class TestMessage(Event data) : IEventMessage
{
    private readonly List<HistoryEntry> _history = [];

    public string MsgId => Data.MessageId;

    public Event Data { get; } = data;

    public string Phase => "publish";

    public IReadOnlyList<HistoryEntry> History => _history;

    public void AppendToHistory(HistoryEntry entry) => _history.Add(entry);

    public static TestMessage Collector(string id, params Trait[] traits) => new(new Event
    {
        MessageId = id,
        EventType = "collector.http",
        Generated = DateTimeOffset.UnixEpoch,
        Traits = traits,
    });
}
