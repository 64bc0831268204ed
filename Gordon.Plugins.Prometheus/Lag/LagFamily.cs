using System.Text;

namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>One lag gauge family as written: its name and the bytes of its HELP and TYPE lines.</summary>
internal sealed class LagFamily
{
    private LagFamily(string name, string help)
    {
        Name = name;
        NameBytes = Encoding.UTF8.GetBytes(name);
        Header = Encoding.UTF8.GetBytes($"# HELP {name} {help}\n# TYPE {name} gauge\n");
    }

    /// <summary>The metric name.</summary>
    public string Name { get; }

    /// <summary>The name as UTF-8.</summary>
    public byte[] NameBytes { get; }

    /// <summary>The HELP and TYPE lines.</summary>
    public byte[] Header { get; }

    // Karrot's name and help text, so its dashboards and alerts read the same.
    public static LagFamily KarrotLag { get; } = new("karrot_consumer_lag", "Total lag accumulated by the consumer");

    // Burrow's names and help texts (core/internal/httpserver/prometheus.go), kept as Burrow spells them.
    public static LagFamily LagTotal { get; } = new("burrow_kafka_consumer_lag_total", "The sum of all partition current lag values for the group");

    public static LagFamily Status { get; } = new(
        "burrow_kafka_consumer_status",
        "The status of the consumer group. It is calculated from the highest status for the individual partitions. Statuses are an index list from NOTFOUND, OK, WARN, ERR, STOP, STALL, REWIND");

    public static LagFamily PartitionLag { get; } = new(
        "burrow_kafka_consumer_partition_lag", "Number of messages the consumer group is behind by for a partition as reported by Burrow");

    public static LagFamily CurrentOffset { get; } = new("burrow_kafka_consumer_current_offset", "Latest offset that Burrow is storing for this partition");

    public static LagFamily PartitionStatus { get; } = new(
        "burrow_kafka_topic_partition_status", "The status of topic partition. Statuses are an index list from NOTFOUND, OK, WARN, ERR, STOP, STALL, REWIND");

    // Not in Burrow's exporter; named in its family so one switch and one prefix cover a group's series.
    public static LagFamily MaxLag { get; } = new("burrow_kafka_consumer_max_lag", "Current lag of the group's partition with the most lag");

    public static LagFamily Complete { get; } = new("burrow_kafka_consumer_complete", "Share of the evaluation window Burrow had offsets for, 0 to 1");

    public static LagFamily PartitionsByStatus { get; } = new(
        "burrow_kafka_consumer_partitions",
        "Number of the group's partitions in each status; their sum is the group's partition count (a webhook lists only the non-OK partitions: OK is the rest of Burrow's partition_count)");

    public static LagFamily LastEvent { get; } = new(
        "burrow_kafka_consumer_last_event_timestamp_seconds", "When the last report on the group was generated, in seconds since the Unix epoch");

    public static LagFamily IncidentOpen { get; } = new(
        "burrow_kafka_consumer_incident_open", "1 while Burrow has an open incident on the group; removed when it closes");

    public static LagFamily IncidentDuration { get; } = new(
        "burrow_kafka_consumer_incident_duration_seconds", "How long the group's open incident has lasted; removed when it closes");
}
