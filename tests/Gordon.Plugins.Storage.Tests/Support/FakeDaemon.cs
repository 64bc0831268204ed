using Gordon.Abstractions.Plugins;

namespace Gordon.Plugins.Storage.Tests.Support;

internal sealed class FakeDaemon(string listen) : IDaemonInfo
{
    public string Version => "0.1.0";

    public string GetRedactedConfigJson() => "{\"core\":{\"http\":{\"listen\":\"" + listen + "\",\"auth_token\":\"\"}}}";

    public IReadOnlyList<PluginInventoryEntry> GetPlugins() => [];
}
