using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Metrics;
using Gordon.Abstractions.Plugins;
using Gordon.Core.Configuration;
using Microsoft.Extensions.Logging;

namespace Gordon.Core.Plugins;

/// <summary>What every plugin is constructed with, whether it is about to run in the pipeline or serve a command.</summary>
internal static class PluginContexts
{
    /// <summary>The context factory <see cref="PluginActivator.Activate"/> takes, over one loaded configuration.</summary>
    public static Func<string, ConfigSection, PluginContext> Factory(
        LoadedConfig config, IEventSink sink, IMetricRelay metrics, ILoggerFactory loggerFactory, TimeProvider time, IDaemonInfo daemon) =>
        (name, section) => new PluginContext
        {
            Name = name,
            Config = section,
            Sink = sink,
            Metrics = metrics,
            Logger = loggerFactory.CreateLogger("Gordon.Plugins." + name),
            LoggerFactory = loggerFactory,
            TimeProvider = time,
            StateDirectory = config.Core.StateDir,
            ConfigRoot = config.ConfigRoot,
            Daemon = daemon,
        };

    /// <summary>The typed reader over a plugin's table (with the keys it inherits).</summary>
    public static ConfigSection ConfigFor(LoadedConfig config, string name) => new(config.PluginTable(name));
}
