using Gordon.Abstractions.Plugins;

namespace Gordon.Plugins.Burrow.Tests.Support;

/// <summary>The daemon's plugin inventory as a test sets it.</summary>
internal sealed class FakeDaemonInfo(params PluginInventoryEntry[] plugins) : IDaemonInfo
{
    public string Version => "0.0.0-test";

    public string GetRedactedConfigJson() => "{}";

    public IReadOnlyList<PluginInventoryEntry> GetPlugins() => plugins;

    public static PluginInventoryEntry Handler(string name, string phase) => new(name, "handler", phase, "1.0.0", "running", "/plugins/" + name + ".dll");
}
