namespace Gordon.Abstractions.Collectors;

/// <summary>
/// How a collector's time window is cut into slices. Each slice is gathered on its own and its tarball is shipped at
/// once, so one slice's data never waits for the next, and a watermark can advance slice by slice.
/// </summary>
public enum CollectorSlicing
{
    /// <summary>One collection over the whole window.</summary>
    None = 0,

    /// <summary>Slices bounded by whole UTC hours (the first and last may be partial).</summary>
    Hourly = 1,

    /// <summary>Slices bounded by UTC midnights (the first and last may be partial).</summary>
    Daily = 2,
}
