namespace Gordon.Plugins.Storage.Model;

/// <summary>
/// Which events a query returns (Panko's EventFilter). Every field is optional and every field given is ANDed.
/// </summary>
internal sealed record EventFilter
{
    /// <summary>Only events generated at or after this time (inclusive).</summary>
    public DateTimeOffset? StartTimestamp { get; init; }

    /// <summary>Only events generated at or before this time (inclusive, as Panko's SQL driver).</summary>
    public DateTimeOffset? EndTimestamp { get; init; }

    /// <summary>Only events of this exact type.</summary>
    public string? EventType { get; init; }

    /// <summary>Only the event with this message id.</summary>
    public string? MessageId { get; init; }

    /// <summary>Trait conditions, ANDed on the same event.</summary>
    public IReadOnlyList<TraitFilter> TraitFilters { get; init; } = [];

    /// <summary>
    /// Admin scoping: when set, only events whose text trait <c>project_id</c> equals it, plus events with no
    /// <c>project_id</c> trait at all. Null means no scoping (all tenants, or a caller scoped by trait filters).
    /// </summary>
    public string? AdminProject { get; init; }

    /// <summary>No condition at all.</summary>
    public static EventFilter All { get; } = new();
}
