using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;

namespace Gordon.Plugins.CloudWatch.Tests.Support;

/// <summary>Builds <c>burrow.consumer_status</c> events shaped as the Burrow plugin emits them.</summary>
internal static class ConsumerEvents
{
    private static int _sequence;

    public static Event Status(
        DateTimeOffset at,
        string cluster = "local",
        string group = "topicA_consumer",
        long totalLag = 601,
        long maxLag = 400,
        long partitions = 3,
        long statusCode = 1,
        IEnumerable<(string Topic, long Partition, long Lag)>? partitionLags = null,
        IEnumerable<string>? without = null,
        IEnumerable<Trait>? extra = null)
    {
        var omit = new HashSet<string>(without ?? [], StringComparer.Ordinal);
        var traits = new List<Trait>
        {
            Trait.String(ConsumerStatusTraits.Cluster, cluster),
            Trait.String(ConsumerStatusTraits.Group, group),
            Trait.String(ConsumerStatusTraits.Status, statusCode == 1 ? "OK" : "WARN"),
            Trait.Integer(ConsumerStatusTraits.StatusCode, statusCode),
            Trait.Float(ConsumerStatusTraits.Complete, 1.0),
            Trait.Integer(ConsumerStatusTraits.TotalLag, totalLag),
            Trait.Integer(ConsumerStatusTraits.PartitionCount, partitions),
            Trait.String(ConsumerStatusTraits.MaxLagTopic, "topicA"),
            Trait.Integer(ConsumerStatusTraits.MaxLagPartition, 0),
            Trait.Integer(ConsumerStatusTraits.MaxLagCurrentLag, maxLag),
            Trait.String(ConsumerStatusTraits.Report, ConsumerStatusEvent.PartialReport),
            Trait.String(ConsumerStatusTraits.Source, "webhook"),
        };
        traits.RemoveAll(t => omit.Contains(t.Name));
        traits.AddRange(extra ?? []);
        var details = (partitionLags ?? []).Select(p => new EventDetail(ConsumerStatusEvent.PartitionDetailKind,
        [
            Trait.String(PartitionTraits.Topic, p.Topic),
            Trait.Integer(PartitionTraits.Partition, p.Partition),
            Trait.String(PartitionTraits.Status, "OK"),
            Trait.Integer(PartitionTraits.CurrentLag, p.Lag),
        ])).ToList();
        return new Event
        {
            MessageId = $"burrow-{Interlocked.Increment(ref _sequence)}",
            EventType = ConsumerStatusEvent.EventType,
            Generated = at,
            Traits = traits,
            Details = details,
        };
    }
}
