namespace Gordon.Abstractions.Events.ConsumerLag;

/// <summary>
/// The names of the consumer-status event that the Burrow plugin emits and that publishers
/// (Prometheus, CloudWatch, storage, the enricher) read. One place for them, so a producer and a
/// consumer cannot drift apart.
/// </summary>
/// <remarks>
/// Group-level values are <see cref="Event.Traits"/>; each partition is an <see cref="EventDetail"/>
/// of kind <see cref="PartitionDetailKind"/> carrying the <see cref="PartitionTraits"/>.
/// </remarks>
public static class ConsumerStatusEvent
{
    /// <summary>The event type of one Burrow consumer-group status report.</summary>
    public const string EventType = "burrow.consumer_status";

    /// <summary>The <see cref="EventDetail.Kind"/> of one partition's detail.</summary>
    public const string PartitionDetailKind = "partition";

    /// <summary>Value of <see cref="ConsumerStatusTraits.Report"/> when every partition of the group is listed (poller, v3 <c>/lag</c>).</summary>
    public const string FullReport = "full";

    /// <summary>Value of <see cref="ConsumerStatusTraits.Report"/> when only some partitions are listed (notifier webhooks).</summary>
    public const string PartialReport = "partial";

    /// <summary>Value of <see cref="ConsumerStatusTraits.IncidentState"/> for a report of an open incident.</summary>
    public const string IncidentOpen = "open";

    /// <summary>Value of <see cref="ConsumerStatusTraits.IncidentState"/> for the report that closes an incident.</summary>
    public const string IncidentClosed = "closed";
}
