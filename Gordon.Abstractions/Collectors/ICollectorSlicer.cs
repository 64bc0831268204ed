namespace Gordon.Abstractions.Collectors;

/// <summary>Cuts a collector's window into slices; name the class in <see cref="CollectorAttribute.SlicerType"/>.</summary>
public interface ICollectorSlicer
{
    /// <summary>The slices to gather, in order; each is gathered and shipped on its own.</summary>
    /// <param name="request">The window and the key's history.</param>
    /// <returns>The slices, oldest first; each with <c>Since &lt; Until</c>.</returns>
    IEnumerable<CollectorSlice> Slice(SliceRequest request);
}

/// <summary>One slice of a window.</summary>
/// <param name="Since">The start (inclusive, UTC).</param>
/// <param name="Until">The end (exclusive, UTC).</param>
public readonly record struct CollectorSlice(DateTimeOffset Since, DateTimeOffset Until);

/// <summary>What a slicer is told.</summary>
/// <param name="Key">The collector's key.</param>
/// <param name="Watermark">
/// Where the key's last shipped data ends (or the last complete gather, or the horizon when there is none), never
/// before <paramref name="Horizon"/>: an incremental slicing starts here when <paramref name="Since"/> is null.
/// </param>
/// <param name="Since">The start the caller asked for (<c>--since</c>), or null for an incremental gather.</param>
/// <param name="Until">The end of the gather's window.</param>
/// <param name="Horizon">The oldest instant any gather looks at: <paramref name="Until"/> minus 28 days.</param>
/// <param name="FullSync">True when the key is due for a full sync: slice the whole history the collector wants to resend.</param>
public sealed record SliceRequest(
    string Key,
    DateTimeOffset Watermark,
    DateTimeOffset? Since,
    DateTimeOffset Until,
    DateTimeOffset Horizon,
    bool FullSync);
