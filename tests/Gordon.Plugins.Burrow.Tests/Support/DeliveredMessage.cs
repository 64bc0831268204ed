using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.Burrow.Tests.Support;

/// <summary>A message as the router hands it to a delivery observer or a handler: an event and its history.</summary>
internal sealed class DeliveredMessage : IEventMessage
{
    private readonly List<HistoryEntry> _history;
    private Event _data;

    public DeliveredMessage(Event data, string phase = "publish", params HistoryEntry[] history)
    {
        _data = data;
        Phase = phase;
        _history = [.. history];
    }

    public string MsgId => Data.MessageId;

    public Event Data => _data;

    public string Phase { get; }

    public IReadOnlyList<HistoryEntry> History => [.. _history];

    public void AppendToHistory(HistoryEntry entry) => _history.Add(entry);

    /// <summary>Like the router's: the update must keep the message id.</summary>
    public void UpdateData(Func<Event, Event> update)
    {
        var next = update(_data);
        if (next.MessageId != _data.MessageId)
        {
            throw new ArgumentException("The message id changed.", nameof(update));
        }

        _data = next;
    }
}
