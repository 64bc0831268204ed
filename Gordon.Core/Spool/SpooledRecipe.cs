using Gordon.Abstractions.Events;

namespace Gordon.Core.Spool;

/// <summary>What the spool keeps of an event its producer can rebuild (<see cref="SpoolRecordKind.Recipe"/>).</summary>
internal sealed record SpooledRecipe(string MessageId, string EventType, DateTimeOffset Generated, EventRecipe Recipe, byte[] Raw)
{
    /// <summary>The event as far as the spool knows it, for when its producer cannot rebuild it: the body, no traits.</summary>
    public Event WithoutTraits() => new() { MessageId = MessageId, EventType = EventType, Generated = Generated, Raw = Raw };
}
