using Gordon.Abstractions.Events;

namespace Gordon.Abstractions.Messaging;

/// <summary>
/// A discrete unit of work travelling through the phases of the route. Only the router changes
/// <see cref="Phase"/>; handlers read the message and may add to its history, and enrich-phase handlers
/// may extend its event with <see cref="UpdateData"/>.
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

    /// <summary>
    /// Replaces the event for the phases that follow, atomically: <paramref name="update"/> gets the current
    /// event and returns the new one. Enrich-phase handlers use it to add traits or details. It may run more
    /// than once when handlers of one phase update concurrently, so it must be a pure function of its input.
    /// </summary>
    /// <param name="update">Builds the new event from the current one; the message id must stay the same.</param>
    /// <exception cref="ArgumentException">The new event has another message id.</exception>
    /// <exception cref="NotSupportedException">This message cannot be changed.</exception>
    void UpdateData(Func<Event, Event> update) =>
        throw new NotSupportedException("This message cannot be changed.");
}
