using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Burrow.Enrich;

/// <summary>What the enricher adds to one report: group traits and per-topic details.</summary>
/// <param name="Traits">The group-level traits (<see cref="EnrichedTraits"/>).</param>
/// <param name="Topics">One detail of kind <see cref="EnrichedTraits.TopicDetailKind"/> per topic.</param>
internal sealed record Enrichment(IReadOnlyList<Trait> Traits, IReadOnlyList<EventDetail> Topics)
{
    /// <summary>
    /// The event with this enrichment: a pure function of <paramref name="current"/>, as <c>IEventMessage.UpdateData</c>
    /// requires, keeping what other enrich handlers added and replacing an earlier enrichment of this plugin (a replay).
    /// </summary>
    public Event ApplyTo(Event current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return new Event
        {
            MessageId = current.MessageId,
            EventType = current.EventType,
            Generated = current.Generated,
            Traits = [.. current.Traits.Where(t => !Traits.Any(added => added.Name == t.Name) && !IsEnrichedTrait(t.Name)), .. Traits],
            Details = [.. current.Details.Where(d => d.Kind != EnrichedTraits.TopicDetailKind), .. Topics],
            Raw = current.Raw,
        };
    }

    private static bool IsEnrichedTrait(string name) =>
        name is EnrichedTraits.TotalLagDelta or EnrichedTraits.DeltaSeconds or EnrichedTraits.LagRate or EnrichedTraits.CatchUpSeconds;
}
