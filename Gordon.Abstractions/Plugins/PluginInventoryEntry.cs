namespace Gordon.Abstractions.Plugins;

/// <summary>One plugin as <see cref="IDaemonInfo.GetPlugins"/> reports it.</summary>
/// <param name="Name">The plugin name.</param>
/// <param name="Kind">What it is: <c>runnable</c>, <c>handler</c>, <c>runnable+handler</c> or <c>generic</c>.</param>
/// <param name="Phase">Its phase, or null for a runnable without one.</param>
/// <param name="Version">Its assembly version.</param>
/// <param name="State">Its state: <c>loaded</c>, <c>running</c>, <c>failed</c>, ….</param>
/// <param name="AssemblyPath">Where it was loaded from.</param>
public sealed record PluginInventoryEntry(string Name, string Kind, string? Phase, string Version, string State, string AssemblyPath);
