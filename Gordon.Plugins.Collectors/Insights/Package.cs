namespace Gordon.Plugins.Collectors.Insights;

/// <summary>One tarball in the making: the entries of one shipping group, at most one per key.</summary>
internal sealed class Package(string shippingGroup)
{
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    public string ShippingGroup { get; } = shippingGroup;

    public List<PackageEntry> Entries { get; } = [];

    /// <summary>Uncompressed bytes of the data files (config, status and manifest are not counted).</summary>
    public long DataSize { get; private set; }

    /// <summary>Built (and, unless a dry run, shipped or failed): it takes nothing more.</summary>
    public bool Processed { get; set; }

    public bool Shipped { get; set; }

    public string? TarPath { get; set; }

    public bool HasKey(string key) => _keys.Contains(key);

    /// <summary>First fit: same group, not processed, no file of this key yet, and room for it (the limit is inclusive).</summary>
    public bool Fits(string group, string key, long size, long maxDataSize) =>
        !Processed && ShippingGroup == group && !_keys.Contains(key) && DataSize + size <= maxDataSize;

    public void Add(PackageEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Entries.Add(entry);
        _keys.Add(entry.Collection.Descriptor.Key);
        DataSize += entry.Size;
        entry.Collection.Packages.Add(this);
    }
}

/// <summary>One member of a package: a JSON value, a CSV file, or only the status row of a failed collection.</summary>
/// <param name="Collection">The collection the member belongs to.</param>
/// <param name="Json">The JSON text, for a JSON collection that succeeded.</param>
/// <param name="CsvFile">The file, for one part of a CSV collection.</param>
/// <param name="Size">The bytes counted against the package's limit.</param>
internal sealed record PackageEntry(Collection Collection, byte[]? Json, string? CsvFile, long Size)
{
    public bool HasData => Json is not null || CsvFile is not null;
}
