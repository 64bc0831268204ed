namespace Gordon.Plugins.Collectors.Insights;

/// <summary>How a gather ended.</summary>
internal enum GatherStatus
{
    /// <summary>It ran; see the counts for failures.</summary>
    Completed,

    /// <summary>Shipping is not configured (manual and scheduled gathers only).</summary>
    NotEnabled,

    /// <summary>Another gather holds the lock; nothing was done.</summary>
    Locked,

    /// <summary>No config collector was selected; nothing was done.</summary>
    ConfigMissing,

    /// <summary>The requested window is empty (since at or after until).</summary>
    InvalidWindow,

    /// <summary>The state file cannot be read.</summary>
    StateUnreadable,
}

/// <summary>What a gather did.</summary>
internal sealed class GatherResult
{
    public required GatherStatus Status { get; init; }

    /// <summary>Why a gather did not run, for statuses other than <see cref="GatherStatus.Completed"/>.</summary>
    public string? Message { get; init; }

    /// <summary>Every tarball built, in build order (deleted after shipping unless kept).</summary>
    public IReadOnlyList<string> Tarballs { get; init; } = [];

    /// <summary>True when <see cref="Tarballs"/> still exist.</summary>
    public bool TarballsKept { get; init; }

    public int Shipped { get; init; }

    public int ShipFailures { get; init; }

    public int FailedCollections { get; init; }

    /// <summary>The config collector failed: every tarball lacks it, and the run counts as degraded.</summary>
    public bool ConfigFailed { get; init; }

    /// <summary>Adjustments to the window and other remarks.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public GatherWindow? Window { get; init; }

    /// <summary>Completed with something failed: a collector, the config, or an upload.</summary>
    public bool Degraded => Status == GatherStatus.Completed && (ShipFailures > 0 || FailedCollections > 0 || ConfigFailed);

    public static GatherResult Refused(GatherStatus status, string message) => new() { Status = status, Message = message };
}
