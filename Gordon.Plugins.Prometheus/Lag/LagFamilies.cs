using Prometheus;

namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>
/// The consumer-lag metric families on the plugin's registry: Karrot's gauge when <c>karrot_names</c> is on, and Burrow's
/// exporter gauges plus the per-group extras when <c>burrow_names</c> is on. A family that is off is null.
/// </summary>
internal sealed class LagFamilies
{
    private static readonly string[] KarrotLabels = ["cluster", "consumer"];
    private static readonly string[] GroupLabels = ["cluster", "consumer_group"];
    private static readonly string[] ByStatusLabels = ["cluster", "consumer_group", "status"];
    private static readonly string[] PartitionLabels = ["cluster", "consumer_group", "topic", "partition"];

    /// <summary>Creates the families that are switched on.</summary>
    /// <param name="factory">The factory of the plugin's registry.</param>
    /// <param name="karrotNames">Whether Karrot's names are on.</param>
    /// <param name="burrowNames">Whether Burrow's names are on.</param>
    public LagFamilies(IMetricFactory factory, bool karrotNames, bool burrowNames)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (karrotNames)
        {
            // Karrot's help text, so its dashboards and alerts read the same.
            KarrotLag = factory.CreateGauge("karrot_consumer_lag", "Total lag accumulated by the consumer", KarrotLabels);
        }

        if (!burrowNames)
        {
            return;
        }

        // Burrow's names and help texts (core/internal/httpserver/prometheus.go), kept as Burrow spells them.
        LagTotal = factory.CreateGauge("burrow_kafka_consumer_lag_total", "The sum of all partition current lag values for the group", GroupLabels);
        Status = factory.CreateGauge(
            "burrow_kafka_consumer_status",
            "The status of the consumer group. It is calculated from the highest status for the individual partitions. Statuses are an index list from NOTFOUND, OK, WARN, ERR, STOP, STALL, REWIND",
            GroupLabels);
        PartitionLag = factory.CreateGauge(
            "burrow_kafka_consumer_partition_lag",
            "Number of messages the consumer group is behind by for a partition as reported by Burrow",
            PartitionLabels);
        CurrentOffset = factory.CreateGauge("burrow_kafka_consumer_current_offset", "Latest offset that Burrow is storing for this partition", PartitionLabels);
        PartitionStatus = factory.CreateGauge(
            "burrow_kafka_topic_partition_status",
            "The status of topic partition. Statuses are an index list from NOTFOUND, OK, WARN, ERR, STOP, STALL, REWIND",
            PartitionLabels);

        // Not in Burrow's exporter; named in its family so one switch and one prefix cover a group's series.
        MaxLag = factory.CreateGauge("burrow_kafka_consumer_max_lag", "Current lag of the group's partition with the most lag", GroupLabels);
        Complete = factory.CreateGauge("burrow_kafka_consumer_complete", "Share of the evaluation window Burrow had offsets for, 0 to 1", GroupLabels);
        PartitionsByStatus = factory.CreateGauge(
            "burrow_kafka_consumer_partitions",
            "Number of the group's partitions in each status; their sum is the group's partition count (a webhook lists only the non-OK partitions: OK is the rest of Burrow's partition_count)",
            ByStatusLabels);
        LastEvent = factory.CreateGauge(
            "burrow_kafka_consumer_last_event_timestamp_seconds",
            "When the last report on the group was generated, in seconds since the Unix epoch",
            GroupLabels);
        IncidentOpen = factory.CreateGauge("burrow_kafka_consumer_incident_open", "1 while Burrow has an open incident on the group; removed when it closes", GroupLabels);
        IncidentDuration = factory.CreateGauge(
            "burrow_kafka_consumer_incident_duration_seconds",
            "How long the group's open incident has lasted; removed when it closes",
            GroupLabels);
    }

    /// <summary><c>karrot_consumer_lag{cluster,consumer}</c>.</summary>
    public Gauge? KarrotLag { get; }

    /// <summary><c>burrow_kafka_consumer_lag_total{cluster,consumer_group}</c>.</summary>
    public Gauge? LagTotal { get; }

    /// <summary><c>burrow_kafka_consumer_status{cluster,consumer_group}</c>.</summary>
    public Gauge? Status { get; }

    /// <summary><c>burrow_kafka_consumer_partition_lag{cluster,consumer_group,topic,partition}</c>.</summary>
    public Gauge? PartitionLag { get; }

    /// <summary><c>burrow_kafka_consumer_current_offset{cluster,consumer_group,topic,partition}</c>.</summary>
    public Gauge? CurrentOffset { get; }

    /// <summary><c>burrow_kafka_topic_partition_status{cluster,consumer_group,topic,partition}</c>.</summary>
    public Gauge? PartitionStatus { get; }

    /// <summary><c>burrow_kafka_consumer_max_lag{cluster,consumer_group}</c>.</summary>
    public Gauge? MaxLag { get; }

    /// <summary><c>burrow_kafka_consumer_complete{cluster,consumer_group}</c>.</summary>
    public Gauge? Complete { get; }

    /// <summary><c>burrow_kafka_consumer_partitions{cluster,consumer_group,status}</c>.</summary>
    public Gauge? PartitionsByStatus { get; }

    /// <summary><c>burrow_kafka_consumer_last_event_timestamp_seconds{cluster,consumer_group}</c>.</summary>
    public Gauge? LastEvent { get; }

    /// <summary><c>burrow_kafka_consumer_incident_open{cluster,consumer_group}</c>.</summary>
    public Gauge? IncidentOpen { get; }

    /// <summary><c>burrow_kafka_consumer_incident_duration_seconds{cluster,consumer_group}</c>.</summary>
    public Gauge? IncidentDuration { get; }
}
