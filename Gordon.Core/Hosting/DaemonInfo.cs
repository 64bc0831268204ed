using Gordon.Abstractions.Plugins;
using Gordon.Core.Configuration;
using Gordon.Core.Plugins;

namespace Gordon.Core.Hosting;

/// <summary>
/// The daemon's facts as plugins see them. Created before the plugins (they receive it in their context),
/// completed once they are activated, and told the live status once the pipeline runs.
/// </summary>
internal sealed class DaemonInfo : IDaemonInfo
{
    private readonly LoadedConfig _config;
    private IReadOnlyList<ActivePlugin> _plugins = [];
    private PluginCatalog? _catalog;
    private DaemonStatus? _status;

    public DaemonInfo(LoadedConfig config)
    {
        _config = config;
    }

    public string Version { get; } = typeof(DaemonInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public string GetRedactedConfigJson() => ConfigRedactor.ToJson(ConfigRedactor.Redact(_config.Root));

    public IReadOnlyList<PluginInventoryEntry> GetPlugins()
    {
        var status = Volatile.Read(ref _status);
        var active = Volatile.Read(ref _plugins);
        if (active.Count > 0)
        {
            return [.. active.Select(p => Entry(p.Descriptor, p.Phase, status?.Get(p.Name)?.State ?? PluginState.Loaded))];
        }

        // Outside `run` (a CLI command), no pipeline exists: report what the plugin directories hold.
        return Volatile.Read(ref _catalog) is { } catalog
            ? [.. catalog.Plugins.Select(d => Entry(d, d.Phase, PluginState.Loaded))]
            : [];
    }

    public void Attach(PluginCatalog catalog, IReadOnlyList<ActivePlugin> plugins)
    {
        Volatile.Write(ref _catalog, catalog);
        Volatile.Write(ref _plugins, plugins);
    }

    public void Attach(DaemonStatus status) => Volatile.Write(ref _status, status);

    private static PluginInventoryEntry Entry(PluginDescriptor d, string? phase, PluginState state) =>
        new(d.Name, PluginTableFormatter.KindText(d.Kind), phase, d.Version, state.ToString().ToLowerInvariant(), d.AssemblyPath);
}
