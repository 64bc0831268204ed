namespace Gordon.Abstractions.Plugins;

/// <summary>
/// What the daemon tells a plugin about itself, for plugins that report on the daemon (the inventory and
/// configuration collectors, status pages).
/// </summary>
public interface IDaemonInfo
{
    /// <summary>The daemon's version, e.g. <c>1.2.0</c>.</summary>
    string Version { get; }

    /// <summary>The merged configuration as JSON, with every secret replaced by <c>"***"</c>.</summary>
    string GetRedactedConfigJson();

    /// <summary>The plugins of the running pipeline (or, outside <c>run</c>, the discovered ones), in route order.</summary>
    IReadOnlyList<PluginInventoryEntry> GetPlugins();
}
