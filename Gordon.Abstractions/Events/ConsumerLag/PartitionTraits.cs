namespace Gordon.Abstractions.Events.ConsumerLag;

/// <summary>Trait names of a partition detail (<see cref="ConsumerStatusEvent.PartitionDetailKind"/>), with their types.</summary>
public static class PartitionTraits
{
    /// <summary>Topic name (string).</summary>
    public const string Topic = "topic";

    /// <summary>Partition number (integer).</summary>
    public const string Partition = "partition";

    /// <summary>Burrow partition status name (string).</summary>
    public const string Status = "status";

    /// <summary>Burrow's numeric partition status (integer).</summary>
    public const string StatusCode = "status_code";

    /// <summary>Lag at the end of the window (integer).</summary>
    public const string CurrentLag = "current_lag";

    /// <summary>Committed offset at the start of the window (integer; absent when Burrow sent null).</summary>
    public const string StartOffset = "start_offset";

    /// <summary>Committed offset at the end of the window (integer; absent when Burrow sent null).</summary>
    public const string EndOffset = "end_offset";

    /// <summary>Share of the window with data, 0 to 1 (float).</summary>
    public const string Complete = "complete";

    /// <summary>Consumer host that owns the partition (string; absent when unknown).</summary>
    public const string Owner = "owner";

    /// <summary>Consumer client id (string; absent when unknown).</summary>
    public const string ClientId = "client_id";
}
