namespace Gordon.Plugins.Collectors.Insights;

/// <summary>The gatherer's settings (from <c>[collectors.insights]</c>).</summary>
internal sealed class GathererOptions
{
    /// <summary>Uncompressed data bytes per tarball; CSV collectors split larger output.</summary>
    public long MaxDataSize { get; init; } = 200L * 1024 * 1024;

    /// <summary>Compressed bytes the ingress accepts; a larger tarball is not sent (0: no limit).</summary>
    public long MaxUploadSize { get; init; } = 100_000_000;

    /// <summary>Tarballs are named <c>&lt;base&gt;-&lt;until&gt;-&lt;index&gt;.tar.gz</c>.</summary>
    public string TarballBase { get; init; } = "gordon-analytics";

    /// <summary>Passed to collectors that read the event store.</summary>
    public string? StoreUrl { get; init; }

    /// <summary>Keep shipped tarballs (in the destination, or a temporary folder) instead of deleting them.</summary>
    public bool KeepTarballs { get; init; }
}
