using Gordon.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace Gordon.Abstractions.Collectors;

/// <summary>What a collector is asked to collect, and with what.</summary>
public sealed class CollectorInvocation
{
    /// <summary>The key being collected.</summary>
    public required string Key { get; init; }

    /// <summary>The start of the window or slice (inclusive, UTC); null for the configuration collector.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>The end of the window or slice (exclusive, UTC); null for the configuration collector.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>True when this slice belongs to a full sync rather than an increment.</summary>
    public bool FullSync { get; init; }

    /// <summary>
    /// The most uncompressed bytes one tarball should hold: a CSV collector splits larger output into several files
    /// (<see cref="CsvFileSplitter"/>), each shipped in its own tarball.
    /// </summary>
    public required long MaxDataSize { get; init; }

    /// <summary>A private directory (mode 0700) for the collector's files; deleted after the gather.</summary>
    public required string StagingDirectory { get; init; }

    /// <summary>Why the gather runs.</summary>
    public required CollectionMode Mode { get; init; }

    /// <summary>
    /// The event store's URL as configured for the collectors (<c>store_url</c>, e.g. <c>sqlite:////var/lib/gordon/events.db</c>
    /// or <c>postgresql://user@host/db</c>), for collectors that read stored events.
    /// </summary>
    public string? StoreUrl { get; init; }

    /// <summary>The daemon's facts (version, redacted configuration, plugins); null where no daemon hosts the gatherer.</summary>
    public IDaemonInfo? Daemon { get; init; }

    /// <summary>The clock.</summary>
    public required TimeProvider TimeProvider { get; init; }

    /// <summary>A logger for the collector.</summary>
    public required ILogger Logger { get; init; }
}
