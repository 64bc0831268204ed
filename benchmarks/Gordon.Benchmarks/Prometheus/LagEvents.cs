using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;
using Gordon.Abstractions.Messaging;

namespace Gordon.Benchmarks.Prometheus;

/// <summary>Consumer-status events shaped as the Burrow plugin emits them, for the Prometheus benchmarks.</summary>
internal static class LagEvents
{
    /// <summary>A full report (the poller's) on group <paramref name="group"/> of cluster <c>prod-east</c> with its partitions.</summary>
    public static Event Group(int group, int partitions, long lagSeed)
    {
        var details = new EventDetail[partitions];
        long total = 0, max = 0;
        for (var p = 0; p < partitions; p++)
        {
            var lag = (lagSeed + p * 7) % 5000;
            total += lag;
            max = Math.Max(max, lag);
            details[p] = new EventDetail(ConsumerStatusEvent.PartitionDetailKind,
            [
                Trait.String(PartitionTraits.Topic, "orders"),
                Trait.Integer(PartitionTraits.Partition, p),
                Trait.String(PartitionTraits.Owner, "/10.20.3.17"),
                Trait.String(PartitionTraits.ClientId, "consumer-" + p),
                Trait.String(PartitionTraits.Status, p == 1 ? "WARN" : "OK"),
                Trait.Integer(PartitionTraits.StatusCode, p == 1 ? 2 : 1),
                Trait.Integer(PartitionTraits.StartOffset, 5_000_000 + lagSeed),
                Trait.Integer(PartitionTraits.EndOffset, 5_001_000 + lagSeed),
                Trait.Integer(PartitionTraits.CurrentLag, lag),
                Trait.Float(PartitionTraits.Complete, 1.0),
            ]);
        }

        return new Event
        {
            MessageId = $"bench-{group}-{lagSeed}",
            EventType = ConsumerStatusEvent.EventType,
            Generated = DateTimeOffset.UnixEpoch.AddSeconds(1_718_000_000 + lagSeed),
            Traits =
            [
                Trait.String(ConsumerStatusTraits.Cluster, "prod-east"),
                Trait.String(ConsumerStatusTraits.Group, "consumer-group-" + group),
                Trait.String(ConsumerStatusTraits.Status, "WARN"),
                Trait.Integer(ConsumerStatusTraits.StatusCode, 2),
                Trait.Float(ConsumerStatusTraits.Complete, 1.0),
                Trait.Integer(ConsumerStatusTraits.TotalLag, total),
                Trait.Integer(ConsumerStatusTraits.PartitionCount, partitions),
                Trait.String(ConsumerStatusTraits.MaxLagTopic, "orders"),
                Trait.Integer(ConsumerStatusTraits.MaxLagPartition, 1),
                Trait.Integer(ConsumerStatusTraits.MaxLagCurrentLag, max),
                Trait.String(ConsumerStatusTraits.Report, ConsumerStatusEvent.FullReport),
                Trait.String(ConsumerStatusTraits.Source, "poller"),
            ],
            Details = details,
        };
    }

    /// <summary>The publish-phase message a handler receives.</summary>
    public static IEventMessage Message(Event @event) => new BenchMessage(@event);

    private sealed class BenchMessage(Event data) : IEventMessage
    {
        public string MsgId => Data.MessageId;

        public Event Data { get; } = data;

        public string Phase => "publish";

        public IReadOnlyList<HistoryEntry> History => [];

        public void AppendToHistory(HistoryEntry entry)
        {
        }
    }
}
