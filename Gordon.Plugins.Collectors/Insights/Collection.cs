namespace Gordon.Plugins.Collectors.Insights;

/// <summary>One collector gathered over one window or slice, and where its files went.</summary>
internal sealed class Collection(CollectorDescriptor descriptor, DateTimeOffset? since, DateTimeOffset? until, bool sliced, bool fullSync)
{
    public CollectorDescriptor Descriptor { get; } = descriptor;

    public DateTimeOffset? Since { get; } = since;

    public DateTimeOffset? Until { get; } = until;

    public bool Sliced { get; } = sliced;

    public bool FullSync { get; } = fullSync;

    public DateTimeOffset Started { get; set; }

    public DateTimeOffset Finished { get; set; }

    /// <summary>Why the collector failed; null when it succeeded.</summary>
    public string? Error { get; set; }

    public bool Failed => Error is not null;

    /// <summary>The serialised value of a JSON collection.</summary>
    public byte[]? Json { get; set; }

    /// <summary>The files of a CSV collection; empty when there was nothing to collect.</summary>
    public IReadOnlyList<string> CsvFiles { get; set; } = [];

    /// <summary>The packages holding this collection's parts (or its failure row).</summary>
    public List<Package> Packages { get; } = [];
}
