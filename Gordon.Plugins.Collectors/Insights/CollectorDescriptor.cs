using Gordon.Abstractions.Collectors;

namespace Gordon.Plugins.Collectors.Insights;

/// <summary>One registered collector: its metadata and how to call it.</summary>
internal sealed class CollectorDescriptor
{
    public required string Name { get; init; }

    public required string Key { get; init; }

    public required string Version { get; init; }

    public CollectorFormat Format { get; init; }

    public ICollectorSlicer? Slicer { get; init; }

    public string ShippingGroup { get; init; } = "default";

    public int FullSyncIntervalDays { get; init; }

    public bool IsConfig { get; init; }

    public string? Description { get; init; }

    /// <summary>Where it was found (an assembly name), for listings and messages.</summary>
    public string Source { get; init; } = string.Empty;

    public required Func<CollectorInvocation, CancellationToken, Task<CollectorOutput>> Collect { get; init; }

    /// <summary>The member name in a tarball.</summary>
    public string FileName => Key + (Format == CollectorFormat.Json ? ".json" : ".csv");
}
