namespace Gordon.Plugins.Burrow.Enrich;

/// <summary>
/// What <c>burrow.enrich</c> adds to a <c>burrow.consumer_status</c> event: group-level traits and one detail of kind
/// <see cref="TopicDetailKind"/> per topic. Publishers read these names; they are candidates for
/// <c>Gordon.Abstractions.Events.ConsumerLag</c> once a publisher depends on them.
/// </summary>
public static class EnrichedTraits
{
    /// <summary>Change of <c>totallag</c> since the group's previous report (integer; positive means falling behind).</summary>
    public const string TotalLagDelta = "totallag_delta";

    /// <summary>Seconds between the group's previous report and this one (float).</summary>
    public const string DeltaSeconds = "delta_seconds";

    /// <summary><see cref="TotalLagDelta"/> per second, in messages/s (float; positive means the lag grows).</summary>
    public const string LagRate = "lag_rate";

    /// <summary>
    /// Seconds until the lag reaches zero at the current rate (float): 0 when there is no lag, absent when the lag is
    /// not shrinking.
    /// </summary>
    public const string CatchUpSeconds = "catchup_seconds";

    /// <summary>The <c>EventDetail.Kind</c> of a per-topic total (only on reports that list every partition).</summary>
    public const string TopicDetailKind = "topic";

    /// <summary>Topic name, in a topic detail (string).</summary>
    public const string Topic = "topic";

    /// <summary>Sum of the topic's partitions' current lag, in a topic detail (integer).</summary>
    public const string TopicLag = "totallag";

    /// <summary>Partitions of the topic, in a topic detail (integer).</summary>
    public const string TopicPartitions = "partition_count";
}
