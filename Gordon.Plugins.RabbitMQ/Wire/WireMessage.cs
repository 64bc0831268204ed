using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.RabbitMQ.Wire;

/// <summary>What travels in one RabbitMQ message: the event and the history of the daemon that published it.</summary>
/// <param name="Event">The event, exactly as it was published.</param>
/// <param name="History">The publishing daemon's history of the message, oldest first.</param>
internal sealed record WireMessage(Event Event, IReadOnlyList<HistoryEntry> History);
