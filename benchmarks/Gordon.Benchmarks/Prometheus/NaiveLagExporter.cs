using System.Globalization;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;
using PromMetrics = global::Prometheus.Metrics;

namespace Gordon.Benchmarks.Prometheus;

/// <summary>
/// The baseline: the same series set the way a direct port writes it with prometheus-net, looking every series up by
/// its label values on every event (<c>WithLabels(...).Set</c>) and every trait up by name, on a bare registry with no
/// TTL, cap or incident bookkeeping.
/// </summary>
internal sealed class NaiveLagExporter
{
    private readonly global::Prometheus.Gauge _karrot;
    private readonly global::Prometheus.Gauge _lagTotal;
    private readonly global::Prometheus.Gauge _status;
    private readonly global::Prometheus.Gauge _maxLag;
    private readonly global::Prometheus.Gauge _complete;
    private readonly global::Prometheus.Gauge _lastEvent;
    private readonly global::Prometheus.Gauge _byStatus;
    private readonly global::Prometheus.Gauge _partitionLag;
    private readonly global::Prometheus.Gauge _offset;
    private readonly global::Prometheus.Gauge _partitionStatus;

    public NaiveLagExporter()
    {
        Registry = PromMetrics.NewCustomRegistry();
        var f = PromMetrics.WithCustomRegistry(Registry);
        string[] group = ["cluster", "consumer_group"];
        string[] partition = ["cluster", "consumer_group", "topic", "partition"];
        _karrot = f.CreateGauge("karrot_consumer_lag", "Total lag accumulated by the consumer", ["cluster", "consumer"]);
        _lagTotal = f.CreateGauge("burrow_kafka_consumer_lag_total", "help", group);
        _status = f.CreateGauge("burrow_kafka_consumer_status", "help", group);
        _maxLag = f.CreateGauge("burrow_kafka_consumer_max_lag", "help", group);
        _complete = f.CreateGauge("burrow_kafka_consumer_complete", "help", group);
        _lastEvent = f.CreateGauge("burrow_kafka_consumer_last_event_timestamp_seconds", "help", group);
        _byStatus = f.CreateGauge("burrow_kafka_consumer_partitions", "help", ["cluster", "consumer_group", "status"]);
        _partitionLag = f.CreateGauge("burrow_kafka_consumer_partition_lag", "help", partition);
        _offset = f.CreateGauge("burrow_kafka_consumer_current_offset", "help", partition);
        _partitionStatus = f.CreateGauge("burrow_kafka_topic_partition_status", "help", partition);
    }

    public global::Prometheus.CollectorRegistry Registry { get; }

    public void Apply(Event e)
    {
        var cluster = Text(e, ConsumerStatusTraits.Cluster);
        var group = Text(e, ConsumerStatusTraits.Group);
        var lag = Number(e, ConsumerStatusTraits.TotalLag);
        _karrot.WithLabels(cluster, group).Set(lag);
        _lagTotal.WithLabels(cluster, group).Set(lag);
        _status.WithLabels(cluster, group).Set(Number(e, ConsumerStatusTraits.StatusCode));
        _maxLag.WithLabels(cluster, group).Set(Number(e, ConsumerStatusTraits.MaxLagCurrentLag));
        _complete.WithLabels(cluster, group).Set(Number(e, ConsumerStatusTraits.Complete));
        _lastEvent.WithLabels(cluster, group).Set(e.Generated.ToUnixTimeMilliseconds() / 1000.0);
        Span<int> counts = stackalloc int[7];
        foreach (var detail in e.Details)
        {
            detail.TryGetTrait(PartitionTraits.Topic, out var topic);
            detail.TryGetTrait(PartitionTraits.Partition, out var number);
            detail.TryGetTrait(PartitionTraits.CurrentLag, out var current);
            detail.TryGetTrait(PartitionTraits.EndOffset, out var end);
            detail.TryGetTrait(PartitionTraits.StatusCode, out var code);
            var p = number.IntegerValue.ToString(CultureInfo.InvariantCulture);
            _partitionLag.WithLabels(cluster, group, topic.StringValue, p).Set(current.IntegerValue);
            _offset.WithLabels(cluster, group, topic.StringValue, p).Set(end.IntegerValue);
            _partitionStatus.WithLabels(cluster, group, topic.StringValue, p).Set(code.IntegerValue);
            counts[(int)code.IntegerValue]++;
        }

        _byStatus.WithLabels(cluster, group, "OK").Set(counts[1]);
        _byStatus.WithLabels(cluster, group, "WARN").Set(counts[2]);
        _byStatus.WithLabels(cluster, group, "STOP").Set(counts[4]);
        _byStatus.WithLabels(cluster, group, "STALL").Set(counts[5]);
        _byStatus.WithLabels(cluster, group, "REWIND").Set(counts[6]);
    }

    private static string Text(Event e, string name) => e.TryGetTrait(name, out var t) ? t.StringValue : string.Empty;

    private static double Number(Event e, string name) =>
        e.TryGetTrait(name, out var t) ? t.Type == TraitType.Float ? t.FloatValue : t.IntegerValue : 0;
}
