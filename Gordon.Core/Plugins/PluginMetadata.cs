namespace Gordon.Core.Plugins;

/// <summary>What the metadata of a candidate assembly says, read without loading it.</summary>
/// <param name="PluginNames">The names of every <c>[GordonPlugin]</c> class, in metadata order.</param>
/// <param name="ContractVersion">The version of its <c>Gordon.Abstractions</c> reference; null when it has none.</param>
internal sealed record PluginMetadata(IReadOnlyList<string> PluginNames, Version? ContractVersion);
