using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;

namespace Gordon.Plugins.Prometheus.Tests.Support;

/// <summary>
/// Builds <c>burrow.consumer_status</c> events the way the Burrow plugin emits them: group traits, one
/// <c>partition</c> detail per partition, and no trait at all for a value Burrow sent as null.
/// </summary>
internal sealed class ConsumerStatus
{
    private readonly List<Trait> _traits = [];
    private readonly List<EventDetail> _partitions = [];
    private string _report = ConsumerStatusEvent.PartialReport;
    private string _source = "webhook";
    private DateTimeOffset _generated = new(2024, 6, 10, 6, 22, 35, TimeSpan.Zero);

    private ConsumerStatus()
    {
    }

    /// <summary>A report on a group; a null cluster leaves the trait out (LinkedIn's default template names none).</summary>
    public static ConsumerStatus For(string? cluster, string group)
    {
        var status = new ConsumerStatus();
        if (cluster is not null)
        {
            status._traits.Add(Trait.String(ConsumerStatusTraits.Cluster, cluster));
        }

        status._traits.Add(Trait.String(ConsumerStatusTraits.Group, group));
        return status;
    }

    /// <summary>A report without a group trait (bad input for this plugin).</summary>
    public static ConsumerStatus WithoutGroup(string cluster)
    {
        var status = new ConsumerStatus();
        status._traits.Add(Trait.String(ConsumerStatusTraits.Cluster, cluster));
        return status;
    }

    public ConsumerStatus Status(string name)
    {
        _traits.Add(Trait.String(ConsumerStatusTraits.Status, name));
        _traits.Add(Trait.Integer(ConsumerStatusTraits.StatusCode, Code(name)));
        return this;
    }

    public ConsumerStatus TotalLag(long lag)
    {
        _traits.Add(Trait.Integer(ConsumerStatusTraits.TotalLag, lag));
        return this;
    }

    public ConsumerStatus MaxLag(string topic, long partition, long lag)
    {
        _traits.Add(Trait.String(ConsumerStatusTraits.MaxLagTopic, topic));
        _traits.Add(Trait.Integer(ConsumerStatusTraits.MaxLagPartition, partition));
        _traits.Add(Trait.Integer(ConsumerStatusTraits.MaxLagCurrentLag, lag));
        return this;
    }

    public ConsumerStatus Complete(double complete)
    {
        _traits.Add(Trait.Float(ConsumerStatusTraits.Complete, complete));
        return this;
    }

    public ConsumerStatus PartitionCount(long count)
    {
        _traits.Add(Trait.Integer(ConsumerStatusTraits.PartitionCount, count));
        return this;
    }

    public ConsumerStatus Incident(string id, DateTimeOffset? start, string state)
    {
        _traits.Add(Trait.String(ConsumerStatusTraits.IncidentId, id));
        if (start is { } s)
        {
            _traits.Add(Trait.DateTime(ConsumerStatusTraits.IncidentStart, s));
        }

        _traits.Add(Trait.String(ConsumerStatusTraits.IncidentState, state));
        return this;
    }

    /// <summary>Every partition of the group is listed (the poller's /lag report).</summary>
    public ConsumerStatus Full()
    {
        _report = ConsumerStatusEvent.FullReport;
        _source = "poller";
        return this;
    }

    public ConsumerStatus Source(string source)
    {
        _source = source;
        return this;
    }

    public ConsumerStatus Generated(DateTimeOffset generated)
    {
        _generated = generated;
        return this;
    }

    /// <summary>A partition detail; null offsets are left out, as Burrow's nulls are.</summary>
    public ConsumerStatus Partition(string topic, long partition, string status, long currentLag, long? startOffset = null, long? endOffset = null)
    {
        var traits = new List<Trait>
        {
            Trait.String(PartitionTraits.Topic, topic),
            Trait.Integer(PartitionTraits.Partition, partition),
            Trait.String(PartitionTraits.Status, status),
            Trait.Integer(PartitionTraits.StatusCode, Code(status)),
            Trait.Integer(PartitionTraits.CurrentLag, currentLag),
            Trait.Float(PartitionTraits.Complete, 1.0),
        };
        if (startOffset is { } start)
        {
            traits.Add(Trait.Integer(PartitionTraits.StartOffset, start));
        }

        if (endOffset is { } end)
        {
            traits.Add(Trait.Integer(PartitionTraits.EndOffset, end));
        }

        _partitions.Add(new EventDetail(ConsumerStatusEvent.PartitionDetailKind, traits));
        return this;
    }

    public Event Build() => new()
    {
        MessageId = "test-" + Guid.NewGuid().ToString("N"),
        EventType = ConsumerStatusEvent.EventType,
        Generated = _generated,
        Traits = [.. _traits, Trait.String(ConsumerStatusTraits.Report, _report), Trait.String(ConsumerStatusTraits.Source, _source)],
        Details = [.. _partitions],
    };

    public TestEventMessage Message() => new(Build());

    /// <summary>The §2.7 (c) example of the reference notes: an open WARN incident on prod-east/orders-enricher, lag 8785.</summary>
    public static ConsumerStatus OrdersEnricherWarn() =>
        For("prod-east", "orders-enricher")
            .Status("WARN")
            .Complete(1)
            .PartitionCount(6)
            .MaxLag("orders", 1, 4810)
            .TotalLag(8785)
            .Incident("3f0b6c1e-9a4d-4c2b-8e7f-5d1a2b3c4d5e", new DateTimeOffset(2024, 6, 10, 6, 22, 35, TimeSpan.Zero), ConsumerStatusEvent.IncidentOpen)
            .Partition("orders", 1, "WARN", 4810, 5001200, 5013400)
            .Partition("orders", 4, "WARN", 3920, 4870050, 4881900);

    private static long Code(string status) => status switch
    {
        "NOTFOUND" => 0,
        "OK" => 1,
        "WARN" => 2,
        "ERR" => 3,
        "STOP" => 4,
        "STALL" => 5,
        "REWIND" => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a Burrow status"),
    };
}
