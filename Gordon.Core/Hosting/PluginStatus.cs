namespace Gordon.Core.Hosting;

/// <summary>A plugin's state and, when failed, why.</summary>
internal sealed record PluginStatus(PluginState State, string? Detail, int Order);
