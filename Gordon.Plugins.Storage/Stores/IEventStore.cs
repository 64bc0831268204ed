using Gordon.Abstractions.Events;
using Gordon.Plugins.Storage.Model;

namespace Gordon.Plugins.Storage.Stores;

/// <summary>An event store with Panko's semantics (the SQL driver is the reference).</summary>
internal interface IEventStore : IAsyncDisposable
{
    /// <summary>What the store is, for logs and health (no password).</summary>
    string Description { get; }

    /// <summary>What this backend supports.</summary>
    StorageCapabilities Capabilities { get; }

    /// <summary>Applies every pending migration, each in its own transaction.</summary>
    /// <exception cref="SchemaVersionException">The store's schema is newer than this daemon knows.</exception>
    Task<SchemaUpgrade> UpgradeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores events: idempotent on the message id (a duplicate is skipped and reported, not an error), one
    /// failing event never loses the others. The valid events are written in one transaction; when that fails
    /// each is retried alone. Never throws for a bad event or a database failure: see the per-event results.
    /// </summary>
    /// <returns>One result per event, in order.</returns>
    Task<IReadOnlyList<RecordResult>> RecordEventsAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken);

    /// <summary>Streams the events matching the filter in the pagination's order.</summary>
    /// <exception cref="InvalidMarkerException">The marker names no stored event.</exception>
    IAsyncEnumerable<Event> GetEventsAsync(EventFilter filter, Pagination pagination, CancellationToken cancellationToken);

    /// <summary>Every event type, sorted.</summary>
    IAsyncEnumerable<string> GetEventTypesAsync(CancellationToken cancellationToken);

    /// <summary>The trait names and types of an event type: text table first, then integer, float, datetime.</summary>
    IAsyncEnumerable<TraitDescription> GetTraitTypesAsync(string eventType, CancellationToken cancellationToken);

    /// <summary>Every trait instance of an event type (optionally of one name), in the same table order, by name.</summary>
    IAsyncEnumerable<Trait> GetTraitsAsync(string eventType, string? traitName, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the events generated before <c>now − ttl</c> (at most <paramref name="maxCount"/>), their traits,
    /// then the event types left without events.
    /// </summary>
    /// <returns>The number of events deleted.</returns>
    Task<long> ClearExpiredDataAsync(TimeSpan ttl, long? maxCount, CancellationToken cancellationToken);

    /// <summary>Checks that the database answers; throws when it does not.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
