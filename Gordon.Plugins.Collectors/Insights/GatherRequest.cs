using Gordon.Abstractions.Collectors;

namespace Gordon.Plugins.Collectors.Insights;

/// <summary>One gather's parameters.</summary>
/// <param name="Mode">Dry run, manual or scheduled.</param>
/// <param name="Destination">Where tarballs are written (and kept); null for a temporary folder.</param>
/// <param name="Since">The requested start, or null for an incremental gather.</param>
/// <param name="Until">The requested end, or null for now.</param>
/// <param name="Subset">Registration names or keys to gather (the config collector must be among them); null for all.</param>
/// <param name="KeepTarballs">Keep shipped tarballs (a dry run always keeps them).</param>
internal sealed record GatherRequest(
    CollectionMode Mode,
    string? Destination = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    IReadOnlyCollection<string>? Subset = null,
    bool KeepTarballs = false);
