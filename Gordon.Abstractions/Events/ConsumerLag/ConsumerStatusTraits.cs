namespace Gordon.Abstractions.Events.ConsumerLag;

/// <summary>Group-level trait names of a <see cref="ConsumerStatusEvent.EventType"/> event, with their types.</summary>
public static class ConsumerStatusTraits
{
    /// <summary>Kafka cluster name (string).</summary>
    public const string Cluster = "cluster";

    /// <summary>Consumer group name (string).</summary>
    public const string Group = "group";

    /// <summary>Burrow status name: NOTFOUND, OK, WARN, ERR, STOP, STALL or REWIND (string).</summary>
    public const string Status = "status";

    /// <summary>Burrow's numeric status: 0 NOTFOUND, 1 OK, 2 WARN, 3 ERR, 4 STOP, 5 STALL, 6 REWIND (integer).</summary>
    public const string StatusCode = "status_code";

    /// <summary>Share of the evaluation window Burrow had data for, 0 to 1 (float).</summary>
    public const string Complete = "complete";

    /// <summary>Sum of the partitions' current lag (integer).</summary>
    public const string TotalLag = "totallag";

    /// <summary>Number of partitions the group consumes (integer).</summary>
    public const string PartitionCount = "partition_count";

    /// <summary>Topic of the partition with the most lag (string; absent when Burrow sent none).</summary>
    public const string MaxLagTopic = "maxlag_topic";

    /// <summary>Partition number of the partition with the most lag (integer).</summary>
    public const string MaxLagPartition = "maxlag_partition";

    /// <summary>Current lag of the partition with the most lag (integer).</summary>
    public const string MaxLagCurrentLag = "maxlag_current_lag";

    /// <summary>Burrow's incident id (string; absent outside an incident).</summary>
    public const string IncidentId = "incident_id";

    /// <summary>When Burrow opened the incident (datetime).</summary>
    public const string IncidentStart = "incident_start";

    /// <summary><see cref="ConsumerStatusEvent.IncidentOpen"/> or <see cref="ConsumerStatusEvent.IncidentClosed"/> (string; absent without an incident).</summary>
    public const string IncidentState = "incident_state";

    /// <summary><see cref="ConsumerStatusEvent.FullReport"/> or <see cref="ConsumerStatusEvent.PartialReport"/> (string).</summary>
    public const string Report = "report";

    /// <summary>Where the report came from: <c>webhook</c> or <c>poller</c> (string).</summary>
    public const string Source = "source";
}
