using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Metrics;
using Gordon.Abstractions.Plugins;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Plugins.Burrow.Tests.Support;

/// <summary>Plays the host: a plugin's config table (as if from gordon-user.toml) and its context.</summary>
internal static class TestContexts
{
    public const string ConfigFile = "gordon-user.toml";

    /// <summary>A config reader over a table, e.g. <c>Config("burrow", ("max_body", "1KiB"))</c>; lines follow the order.</summary>
    public static ConfigSection Config(string plugin, params (string Key, object Value)[] entries)
    {
        var line = 1;
        return new ConfigSection(new ConfigTable(
            plugin,
            entries.Select(e => new KeyValuePair<string, ConfigValue>(e.Key, new ConfigValue(Wrap(e.Value), new ConfigLocation(ConfigFile, ++line, 1))))));
    }

    public static PluginContext Context(
        string plugin,
        ConfigSection config,
        IEventSink? sink = null,
        IMetricRelay? metrics = null,
        TimeProvider? time = null,
        IDaemonInfo? daemon = null) => new()
    {
        Name = plugin,
        Config = config,
        Sink = sink ?? new RecordingSink(),
        Metrics = metrics ?? new RecordingMetricRelay(),
        Logger = NullLogger.Instance,
        LoggerFactory = NullLoggerFactory.Instance,
        TimeProvider = time ?? TimeProvider.System,
        StateDirectory = Path.GetTempPath(),
        ConfigRoot = Path.GetTempPath(),
        Daemon = daemon,
    };

    // Arrays of strings are written as C# string arrays for brevity; ints as long, as TOML gives them.
    private static object Wrap(object value) => value switch
    {
        string[] items => new ConfigArray(items.Select(i => new ConfigValue(i, null))),
        int i => (long)i,
        _ => value,
    };
}
