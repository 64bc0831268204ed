using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Metrics;
using Microsoft.Extensions.Logging;

namespace Gordon.Abstractions.Plugins;

/// <summary>Everything the host hands a plugin's constructor.</summary>
public sealed class PluginContext
{
    /// <summary>The plugin's name, as in <c>[core] plugins</c>.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// The plugin's config table (with keys inherited from parent tables), read through a typed reader
    /// that records problems and which keys were used, so unknown keys can be reported.
    /// </summary>
    public required ConfigSection Config { get; init; }

    /// <summary>Where a runnable emits its events.</summary>
    public required IEventSink Sink { get; init; }

    /// <summary>Metrics, exported by the host.</summary>
    public required IMetricRelay Metrics { get; init; }

    /// <summary>The plugin's logger (category <c>Gordon.Plugins.&lt;name&gt;</c>).</summary>
    public required ILogger Logger { get; init; }

    /// <summary>For plugins that want a logger per class.</summary>
    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>The clock; tests replace it with a fake.</summary>
    public required TimeProvider TimeProvider { get; init; }

    /// <summary>A directory the plugin may write to, kept across restarts (created by the host).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>The config root: relative paths in config resolve against it.</summary>
    public required string ConfigRoot { get; init; }

    /// <summary>The daemon's own facts (version, redacted configuration, plugin inventory); null where no daemon hosts the plugin, as in unit tests.</summary>
    public IDaemonInfo? Daemon { get; init; }
}
