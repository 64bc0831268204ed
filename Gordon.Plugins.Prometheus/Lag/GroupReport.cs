using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;

namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>
/// The group-level values of a consumer-status event, read in one pass over its traits. A value Burrow did not send is
/// null, and the series it feeds keep their last value.
/// </summary>
internal readonly struct GroupReport
{
    public string? Cluster { get; private init; }

    public string? Group { get; private init; }

    public int StatusCode { get; private init; }

    public double? TotalLag { get; private init; }

    public double? MaxLag { get; private init; }

    public double? Complete { get; private init; }

    public double? PartitionCount { get; private init; }

    public bool HasIncidentId { get; private init; }

    public DateTimeOffset? IncidentStart { get; private init; }

    public string? IncidentState { get; private init; }

    /// <summary>True when every partition of the group is listed (only then may partitions left out be removed).</summary>
    public bool IsFull { get; private init; }

    /// <summary>True when the report came from the v3 API poller, which never carries incidents.</summary>
    public bool IsPolled { get; private init; }

    /// <summary>Reads the traits of a consumer-status event.</summary>
    /// <param name="traits">The event's traits.</param>
    /// <returns>The values found.</returns>
    public static GroupReport Read(IReadOnlyList<Trait> traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        string? cluster = null, group = null, status = null, incidentState = null;
        var statusCode = -1;
        double? totalLag = null, maxLag = null, complete = null, partitionCount = null;
        DateTimeOffset? incidentStart = null;
        bool hasIncidentId = false, isFull = false, isPolled = false;
        for (var i = 0; i < traits.Count; i++)
        {
            var trait = traits[i];
            switch (trait.Name)
            {
                case ConsumerStatusTraits.Cluster:
                    cluster = Text(trait);
                    break;
                case ConsumerStatusTraits.Group:
                    group = Text(trait);
                    break;
                case ConsumerStatusTraits.Status:
                    status = Text(trait);
                    break;
                case ConsumerStatusTraits.StatusCode:
                    statusCode = Number(trait) is { } code and >= 0 and <= 6 ? (int)code : statusCode;
                    break;
                case ConsumerStatusTraits.TotalLag:
                    totalLag = Number(trait);
                    break;
                case ConsumerStatusTraits.MaxLagCurrentLag:
                    maxLag = Number(trait);
                    break;
                case ConsumerStatusTraits.Complete:
                    complete = Number(trait);
                    break;
                case ConsumerStatusTraits.PartitionCount:
                    partitionCount = Number(trait);
                    break;
                case ConsumerStatusTraits.IncidentId:
                    hasIncidentId = Text(trait) is { Length: > 0 };
                    break;
                case ConsumerStatusTraits.IncidentStart:
                    incidentStart = trait.Type == TraitType.DateTime ? trait.DateTimeValue : null;
                    break;
                case ConsumerStatusTraits.IncidentState:
                    incidentState = Text(trait);
                    break;
                case ConsumerStatusTraits.Report:
                    isFull = Text(trait) == ConsumerStatusEvent.FullReport;
                    break;
                case ConsumerStatusTraits.Source:
                    isPolled = Text(trait) == "poller";
                    break;
                default:
                    break;
            }
        }

        return new GroupReport
        {
            Cluster = cluster,
            Group = group,
            StatusCode = statusCode >= 0 ? statusCode : BurrowStatus.Code(status),
            TotalLag = totalLag,
            MaxLag = maxLag,
            Complete = complete,
            PartitionCount = partitionCount,
            HasIncidentId = hasIncidentId,
            IncidentStart = incidentStart,
            IncidentState = incidentState,
            IsFull = isFull,
            IsPolled = isPolled,
        };
    }

    /// <summary>A string trait's value; null for any other type (a producer bug is not worth a crash here).</summary>
    /// <param name="trait">The trait.</param>
    /// <returns>The text.</returns>
    public static string? Text(in Trait trait) => trait.Type == TraitType.String ? trait.StringValue : null;

    /// <summary>An integer or float trait's value; null for any other type.</summary>
    /// <param name="trait">The trait.</param>
    /// <returns>The number.</returns>
    public static double? Number(in Trait trait) => trait.Type switch
    {
        TraitType.Integer => trait.IntegerValue,
        TraitType.Float => trait.FloatValue,
        _ => null,
    };
}
