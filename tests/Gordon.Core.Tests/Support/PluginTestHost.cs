using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Plugins;
using Gordon.Core.Plugins;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Core.Tests.Support;

/// <summary>
/// Plays the host's part in activation: config tables per plugin (written as if from gordon-user.toml) and contexts
/// with a recording sink; remembers which plugins it built a context for, i.e. which were constructed.
/// </summary>
internal sealed class PluginTestHost
{
    public const string ConfigFile = "gordon-user.toml";

    private readonly Dictionary<string, ConfigSection> _configs = new(StringComparer.Ordinal);
    private readonly List<string> _contextsBuilt = [];

    public PluginTestEventSink Sink { get; } = new();

    public IReadOnlyList<string> ContextsBuilt => _contextsBuilt;

    /// <summary>Sets a plugin's table, e.g. <c>Configure("good", ("count", 2L))</c>; line numbers follow the order.</summary>
    public ConfigSection Configure(string plugin, params (string Key, object Value)[] entries)
    {
        var line = 1;
        var table = new ConfigTable(
            plugin,
            entries.Select(e => new KeyValuePair<string, ConfigValue>(e.Key, new ConfigValue(e.Value, new ConfigLocation(ConfigFile, ++line, 1)))));
        var section = new ConfigSection(table);
        _configs[plugin] = section;
        return section;
    }

    public ConfigSection ConfigFor(string plugin) =>
        _configs.TryGetValue(plugin, out var section) ? section : Configure(plugin);

    public PluginContext ContextFor(string plugin, ConfigSection config)
    {
        _contextsBuilt.Add(plugin);
        return new PluginContext
        {
            Name = plugin,
            Config = config,
            Sink = Sink,
            Metrics = new PluginTestMetricRelay(),
            Logger = NullLogger.Instance,
            LoggerFactory = NullLoggerFactory.Instance,
            TimeProvider = TimeProvider.System,
            StateDirectory = Path.GetTempPath(),
            ConfigRoot = Path.GetTempPath(),
        };
    }

    public ActivationResult Activate(PluginCatalog catalog, IReadOnlyList<string> activeNames, bool strict = false) =>
        new PluginActivator(NullLogger.Instance).Activate(catalog, activeNames, ContextFor, ConfigFor, strict);
}
