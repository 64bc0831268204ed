using System.Collections.Concurrent;

namespace Gordon.Core.Hosting;

/// <summary>
/// The live state of the daemon and of each plugin, written by the pipeline service and the runnable
/// supervisor, read by the HTTP endpoints. Thread-safe.
/// </summary>
internal sealed class DaemonStatus
{
    private readonly ConcurrentDictionary<string, PluginStatus> _plugins = new(StringComparer.Ordinal);
    private volatile DaemonState _state = DaemonState.Starting;
    private volatile string? _lastReloadError;

    public DaemonState State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>Why the last SIGHUP reload was refused; null when the last reload worked (or none happened).</summary>
    public string? LastReloadError
    {
        get => _lastReloadError;
        set => _lastReloadError = value;
    }

    public IEnumerable<KeyValuePair<string, PluginStatus>> Plugins => _plugins.OrderBy(p => p.Value.Order);

    public void Register(string name, int order) => _plugins[name] = new PluginStatus(PluginState.Loaded, null, order);

    public void Set(string name, PluginState state, string? detail = null) =>
        _plugins.AddOrUpdate(name, _ => new PluginStatus(state, detail, int.MaxValue), (_, old) => old with { State = state, Detail = detail });

    public PluginStatus? Get(string name) => _plugins.TryGetValue(name, out var status) ? status : null;
}
