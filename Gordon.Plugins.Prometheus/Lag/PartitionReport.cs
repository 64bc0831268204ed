using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;

namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>The values of one partition detail, read in one pass over its traits.</summary>
internal readonly struct PartitionReport
{
    public string? Topic { get; private init; }

    public long? Partition { get; private init; }

    public int StatusCode { get; private init; }

    public double? CurrentLag { get; private init; }

    public double? EndOffset { get; private init; }

    /// <summary>Reads a partition detail's traits.</summary>
    /// <param name="traits">The traits.</param>
    /// <returns>The values found.</returns>
    public static PartitionReport Read(IReadOnlyList<Trait> traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        string? topic = null, status = null;
        long? partition = null;
        var statusCode = -1;
        double? currentLag = null, endOffset = null;
        for (var i = 0; i < traits.Count; i++)
        {
            var trait = traits[i];
            switch (trait.Name)
            {
                case PartitionTraits.Topic:
                    topic = GroupReport.Text(trait);
                    break;
                case PartitionTraits.Partition:
                    partition = trait.Type == TraitType.Integer ? trait.IntegerValue : null;
                    break;
                case PartitionTraits.Status:
                    status = GroupReport.Text(trait);
                    break;
                case PartitionTraits.StatusCode:
                    statusCode = GroupReport.Number(trait) is { } code and >= 0 and <= 6 ? (int)code : statusCode;
                    break;
                case PartitionTraits.CurrentLag:
                    currentLag = GroupReport.Number(trait);
                    break;
                case PartitionTraits.EndOffset:
                    endOffset = GroupReport.Number(trait);
                    break;
                default:
                    break;
            }
        }

        return new PartitionReport
        {
            Topic = topic,
            Partition = partition,
            StatusCode = statusCode >= 0 ? statusCode : BurrowStatus.Code(status),
            CurrentLag = currentLag,
            EndOffset = endOffset,
        };
    }
}
