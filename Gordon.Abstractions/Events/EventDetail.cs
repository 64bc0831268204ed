namespace Gordon.Abstractions.Events;

/// <summary>
/// A typed sub-record of an event, such as one partition of a consumer group, so handlers can read
/// structured detail without re-parsing <see cref="Event.Raw"/>.
/// </summary>
/// <param name="Kind">What the detail describes, e.g. <c>partition</c>.</param>
/// <param name="Traits">The detail's values.</param>
public sealed record EventDetail(string Kind, IReadOnlyList<Trait> Traits)
{
    /// <summary>Finds a trait of this detail by name.</summary>
    /// <param name="name">The trait name.</param>
    /// <param name="trait">The trait, when found.</param>
    /// <returns><see langword="true"/> when the detail has a trait of that name.</returns>
    public bool TryGetTrait(string name, out Trait trait) => TraitLookup.TryFind(Traits, name, out trait);
}
