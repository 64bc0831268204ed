namespace Gordon.Core.Hosting;

/// <summary>Where a plugin is in its life, as shown by /health and /plugins.</summary>
internal enum PluginState
{
    Loaded,
    Starting,
    Running,
    Restarting,
    Failed,
    Stopping,
    Stopped,
}
