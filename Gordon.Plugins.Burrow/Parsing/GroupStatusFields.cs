using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Burrow.Parsing;

/// <summary>
/// The fields of one Burrow ConsumerGroupStatus as read from a body; null means Burrow sent null or nothing,
/// and such a value becomes no trait (never an invented zero).
/// </summary>
internal sealed class GroupStatusFields
{
    public string? Cluster { get; set; }

    public string? Group { get; set; }

    /// <summary>The status as Burrow named it (upper case for the names Burrow has).</summary>
    public string? Status { get; set; }

    /// <summary>0–6, or <see cref="BurrowStatus.Unknown"/> when absent or not one of Burrow's names.</summary>
    public int StatusCode { get; set; } = BurrowStatus.Unknown;

    public double? Complete { get; set; }

    public long? TotalLag { get; set; }

    public long? PartitionCount { get; set; }

    public string? MaxLagTopic { get; set; }

    public long? MaxLagPartition { get; set; }

    public long? MaxLagCurrentLag { get; set; }

    /// <summary>The partitions listed (every one in a v3 <c>/lag</c> answer, only the non-OK ones in a notification).</summary>
    public List<EventDetail>? Partitions { get; set; }

    /// <summary>True once any group-status key was read (tells a bare status body from an unknown one).</summary>
    public bool Seen { get; set; }
}
