namespace Gordon.Abstractions.Collectors;

/// <summary>
/// Registers an analytics collector with the <c>collectors.insights</c> gatherer: either a class implementing
/// <see cref="ICollector"/> with a public parameterless constructor, or a public static method
/// <c>Task&lt;CollectorOutput&gt; M(CollectorInvocation invocation, CancellationToken cancellationToken)</c>.
/// Collectors are found in the daemon and in every loaded plugin assembly, and run in ordinal order of their
/// registration name (the class or method name), JSON collectors before CSV collectors.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CollectorAttribute : Attribute
{
    /// <summary>Registers a collector.</summary>
    /// <param name="key">
    /// The data key: the tarball member is <c>&lt;key&gt;.json</c> or <c>&lt;key&gt;.csv</c>, and the watermark is kept
    /// under it. Letters, digits, <c>.</c>, <c>_</c> and <c>-</c>, at most 90 characters. Two collectors may share a key;
    /// a tarball never holds two files of one key.
    /// </param>
    /// <param name="version">The version written for the file in <c>manifest.json</c>, e.g. <c>1.0</c>.</param>
    public CollectorAttribute(string key, string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        Key = key;
        Version = version;
    }

    /// <summary>The data key.</summary>
    public string Key { get; }

    /// <summary>The version written to the manifest.</summary>
    public string Version { get; }

    /// <summary>JSON (the default) or CSV.</summary>
    public CollectorFormat Format { get; init; } = CollectorFormat.Json;

    /// <summary>
    /// A built-in slicing of the window (none by default). Only meaningful for CSV collectors; ignored when
    /// <see cref="SlicerType"/> is set.
    /// </summary>
    public CollectorSlicing Slicing { get; init; } = CollectorSlicing.None;

    /// <summary>
    /// A class implementing <see cref="ICollectorSlicer"/> with a public parameterless constructor, for slices the
    /// built-in <see cref="Slicing"/> cannot express; null for none.
    /// </summary>
    public Type? SlicerType { get; init; }

    /// <summary>
    /// Collections of different shipping groups never share a tarball. <c>default</c> unless set.
    /// </summary>
    public string ShippingGroup { get; init; } = "default";

    /// <summary>
    /// With slicing: when the last full sync of this key is older than this many days (or never happened), the
    /// slicer is asked for a full sync instead of the increment since the watermark. 0 (the default) never asks.
    /// </summary>
    public int FullSyncIntervalDays { get; init; }

    /// <summary>
    /// Marks the configuration collector: gathered once per run without a window, JSON only, and added to every
    /// tarball as <c>&lt;key&gt;.json</c> without counting towards its size or getting a status row. A run without a
    /// configuration collector ships nothing.
    /// </summary>
    public bool Config { get; init; }

    /// <summary>A one-line description, listed by the gatherer.</summary>
    public string? Description { get; init; }
}
