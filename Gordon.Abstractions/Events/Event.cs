namespace Gordon.Abstractions.Events;

/// <summary>
/// The payload that travels through the pipeline, modelled on Panko's event: a unique message id,
/// a dotted event type, the UTC time it was generated, typed traits, and the original body.
/// </summary>
public sealed class Event
{
    private readonly DateTimeOffset _generated;

    /// <summary>A unique id; storage is idempotent on it, so a retried source must produce the same id.</summary>
    public required string MessageId { get; init; }

    /// <summary>A dotted event type, e.g. <c>burrow.consumer_status</c>.</summary>
    public required string EventType { get; init; }

    /// <summary>When the event was generated, in UTC (any other offset is converted on init).</summary>
    public required DateTimeOffset Generated
    {
        get => _generated;
        init => _generated = value.ToUniversalTime();
    }

    /// <summary>The typed values of the event.</summary>
    public IReadOnlyList<Trait> Traits { get; init; } = [];

    /// <summary>Typed sub-records, e.g. the partitions of a consumer group.</summary>
    public IReadOnlyList<EventDetail> Details { get; init; } = [];

    /// <summary>The original body the event was made from (usually JSON), kept byte for byte.</summary>
    public ReadOnlyMemory<byte> Raw { get; init; }

    /// <summary>
    /// How the producing plugin can make this event again from <see cref="MessageId"/>, <see cref="Generated"/> and
    /// <see cref="Raw"/> (see <see cref="Plugins.IEventRebuilder"/>); null when it cannot, and the spool keeps it whole.
    /// </summary>
    public EventRecipe? Recipe { get; init; }

    /// <summary>Finds a trait by name.</summary>
    /// <param name="name">The trait name.</param>
    /// <param name="trait">The trait, when found.</param>
    /// <returns><see langword="true"/> when the event has a trait of that name.</returns>
    public bool TryGetTrait(string name, out Trait trait) => TraitLookup.TryFind(Traits, name, out trait);
}
