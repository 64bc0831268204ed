namespace Gordon.Abstractions.Collectors;

/// <summary>Why a gather runs, which decides whether it ships, persists watermarks and keeps its tarballs.</summary>
public enum CollectionMode
{
    /// <summary>Builds tarballs and keeps them; ships nothing and persists nothing (<c>gordon collect --dry-run</c>).</summary>
    DryRun = 0,

    /// <summary>Run by hand (<c>gordon collect</c>): ships, persists watermarks, deletes the shipped tarballs.</summary>
    Manual = 1,

    /// <summary>Run by the daemon's schedule: as <see cref="Manual"/>, with quieter logging.</summary>
    Scheduled = 2,
}
