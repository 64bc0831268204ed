using Gordon.Abstractions.Events;

namespace Gordon.Abstractions.Messaging;

/// <summary>
/// A discrete unit of work travelling through the phases of the route. Only the router changes
/// <see cref="Phase"/>; handlers read the message and may add to its history.
/// </summary>
public interface IEventMessage
{
    /// <summary>The message id (the <see cref="Event.MessageId"/> of <see cref="Data"/>).</summary>
    string MsgId { get; }

    /// <summary>The event carried by the message.</summary>
    Event Data { get; }

    /// <summary>The phase the message is in.</summary>
    string Phase { get; }

    /// <summary>The hops so far, oldest first; bounded in length (the oldest entries are kept and the latest).</summary>
    IReadOnlyList<HistoryEntry> History { get; }

    /// <summary>Adds an entry to the history.</summary>
    /// <param name="entry">The entry.</param>
    void AppendToHistory(HistoryEntry entry);
}
