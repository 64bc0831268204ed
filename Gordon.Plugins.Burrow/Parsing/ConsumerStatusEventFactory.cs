using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;

namespace Gordon.Plugins.Burrow.Parsing;

/// <summary>Turns a <see cref="BurrowReport"/> into the <c>burrow.consumer_status</c> event publishers read.</summary>
internal static class ConsumerStatusEventFactory
{
    /// <summary>The <see cref="ConsumerStatusTraits.Source"/> of webhook reports.</summary>
    public const string WebhookSource = "webhook";

    /// <summary>The <see cref="ConsumerStatusTraits.Source"/> of polled reports.</summary>
    public const string PollerSource = "poller";

    /// <summary>Builds the event; a value Burrow did not send becomes no trait (never an invented zero).</summary>
    /// <param name="report">The validated report.</param>
    /// <param name="messageId">The message id.</param>
    /// <param name="generated">When the report was received.</param>
    /// <param name="raw">The body, kept byte for byte.</param>
    /// <param name="source">Where the report came from.</param>
    /// <param name="recipe">How the plugin makes the event again from its body, when it can.</param>
    /// <returns>The event.</returns>
    public static Event Create(BurrowReport report, string messageId, DateTimeOffset generated, ReadOnlyMemory<byte> raw, string source, EventRecipe? recipe = null)
    {
        var f = report.Status;
        var buffer = default(TraitBuffer);
        Span<Trait> traits = buffer;
        var n = 0;
        if (f.Cluster is { } cluster)
        {
            traits[n++] = Trait.String(ConsumerStatusTraits.Cluster, cluster);
        }

        if (f.Group is { } group)
        {
            traits[n++] = Trait.String(ConsumerStatusTraits.Group, group);
        }

        if (f.Status is { } status)
        {
            traits[n++] = Trait.String(ConsumerStatusTraits.Status, status);
            if (f.StatusCode >= 0)
            {
                traits[n++] = Trait.Integer(ConsumerStatusTraits.StatusCode, f.StatusCode);
            }
        }

        if (f.Complete is { } complete)
        {
            traits[n++] = Trait.Float(ConsumerStatusTraits.Complete, complete);
        }

        if (f.TotalLag is { } totalLag)
        {
            traits[n++] = Trait.Integer(ConsumerStatusTraits.TotalLag, totalLag);
        }

        if (f.PartitionCount is { } partitionCount)
        {
            traits[n++] = Trait.Integer(ConsumerStatusTraits.PartitionCount, partitionCount);
        }

        if (f.MaxLagTopic is { } maxLagTopic)
        {
            traits[n++] = Trait.String(ConsumerStatusTraits.MaxLagTopic, maxLagTopic);
        }

        if (f.MaxLagPartition is { } maxLagPartition)
        {
            traits[n++] = Trait.Integer(ConsumerStatusTraits.MaxLagPartition, maxLagPartition);
        }

        if (f.MaxLagCurrentLag is { } maxLag)
        {
            traits[n++] = Trait.Integer(ConsumerStatusTraits.MaxLagCurrentLag, maxLag);
        }

        if (report.IncidentId is { } incidentId)
        {
            traits[n++] = Trait.String(ConsumerStatusTraits.IncidentId, incidentId);
            if (report.IncidentStart is { } start)
            {
                traits[n++] = Trait.DateTime(ConsumerStatusTraits.IncidentStart, start);
            }

            traits[n++] = Trait.String(
                ConsumerStatusTraits.IncidentState,
                report.Closes ? ConsumerStatusEvent.IncidentClosed : ConsumerStatusEvent.IncidentOpen);
        }

        traits[n++] = Trait.String(ConsumerStatusTraits.Report, report.IsFull ? ConsumerStatusEvent.FullReport : ConsumerStatusEvent.PartialReport);
        traits[n++] = Trait.String(ConsumerStatusTraits.Source, source);

        return new Event
        {
            MessageId = messageId,
            EventType = ConsumerStatusEvent.EventType,
            Generated = generated,
            Traits = traits[..n].ToArray(),
            Details = f.Partitions is { Count: > 0 } partitions ? partitions.ToArray() : [],
            Raw = raw,
            Recipe = recipe,
        };
    }
}
