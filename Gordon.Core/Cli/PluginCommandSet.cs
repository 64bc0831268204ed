using Gordon.Abstractions.Commands;
using Gordon.Abstractions.Configuration;
using Gordon.Core.Configuration;
using Gordon.Core.Hosting;
using Gordon.Core.Metrics;
using Gordon.Core.Plugins;
using Microsoft.Extensions.Logging;

namespace Gordon.Core.Cli;

/// <summary>
/// The commands that plugins add to the command line. The plugins are found and constructed with the
/// configuration of the <c>--config-root</c> given on the command line, before it is parsed, because a
/// command must exist before System.CommandLine can select it. They are never started.
/// </summary>
internal sealed class PluginCommandSet : IAsyncDisposable
{
    private readonly PluginCatalog? _catalog;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly MetricRelay? _metrics;
    private readonly IReadOnlyList<ActivePlugin> _plugins;

    private PluginCommandSet(
        IReadOnlyList<(string Plugin, PluginCommand Command)> commands,
        IReadOnlyList<string> problems,
        PluginCatalog? catalog,
        ILoggerFactory? loggerFactory,
        MetricRelay? metrics,
        IReadOnlyList<ActivePlugin> plugins)
    {
        Commands = commands;
        Problems = problems;
        _catalog = catalog;
        _loggerFactory = loggerFactory;
        _metrics = metrics;
        _plugins = plugins;
    }

    /// <summary>Each plugin command with the plugin that added it.</summary>
    public IReadOnlyList<(string Plugin, PluginCommand Command)> Commands { get; }

    /// <summary>Why a plugin's commands are missing (bad configuration, a plugin that failed to build, a name clash).</summary>
    public IReadOnlyList<string> Problems { get; }

    public static PluginCommandSet Load(
        IReadOnlyList<string> args,
        IReadOnlySet<string> reservedNames,
        Func<string, string?> environment,
        TimeProvider time)
    {
        var root = Path.GetFullPath(FindConfigRoot(args) ?? ".");
        LoadedConfig config;
        try
        {
            config = new ConfigLoader(environment).Load(root);
        }
        catch (ConfigException e)
        {
            return new PluginCommandSet([], [.. e.Problems.Select(p => $"configuration in {root}: {p}")], null, null, null, []);
        }

        var loggerFactory = LoggerFactory.Create(logging =>
        {
            LoggingSetup.Configure(logging, config.Core.Logging, config.Core.Plugins);

            // A command's output is its result: the daemon's start-up chatter (plugins found, activated) stays out.
            logging.SetMinimumLevel(LogLevel.Warning);
        });
        var metrics = new MetricRelay(time);
        var catalog = PluginCatalog.Discover(config.Core.PluginDirs, loggerFactory.CreateLogger("Gordon.Plugins"));
        var names = catalog.Plugins
            .Where(d => typeof(ICommandLinePlugin).IsAssignableFrom(d.PluginType))
            .Select(d => d.Name)
            .ToList();
        var daemonInfo = new DaemonInfo(config);
        var sink = new RefusingEventSink();
        var activation = new PluginActivator(loggerFactory.CreateLogger("Gordon.Plugins")).Activate(
            catalog,
            names,
            PluginContexts.Factory(config, sink, metrics, loggerFactory, time, daemonInfo),
            name => PluginContexts.ConfigFor(config, name),
            strict: false);
        daemonInfo.Attach(catalog, []);

        var problems = new List<string>(activation.Errors.Concat(activation.Warnings));
        var commands = new List<(string, PluginCommand)>();
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var plugin in activation.Plugins)
        {
            foreach (var command in ((ICommandLinePlugin)plugin.Instance).Commands)
            {
                if (reservedNames.Contains(command.Name))
                {
                    problems.Add($"plugin '{plugin.Name}': command '{command.Name}' clashes with the daemon's own command and is left out");
                }
                else if (!taken.TryAdd(command.Name, plugin.Name))
                {
                    problems.Add($"plugin '{plugin.Name}': command '{command.Name}' is already added by plugin '{taken[command.Name]}' and is left out");
                }
                else
                {
                    commands.Add((plugin.Name, command));
                }
            }
        }

        return new PluginCommandSet(commands, problems, catalog, loggerFactory, metrics, activation.Plugins);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var plugin in _plugins)
        {
            await PluginDisposal.DisposeAsync(plugin.Instance).ConfigureAwait(false);
        }

        _metrics?.Dispose();
        _loggerFactory?.Dispose();
        _catalog?.Dispose();
    }

    /// <summary>The value of <c>--config-root</c>/<c>-c</c> in any of its spellings, or null.</summary>
    internal static string? FindConfigRoot(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if ((arg == "--config-root" || arg == "-c") && i + 1 < args.Count)
            {
                return args[i + 1];
            }

            foreach (var prefix in (ReadOnlySpan<string>)["--config-root=", "--config-root:", "-c="])
            {
                if (arg.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return arg[prefix.Length..];
                }
            }
        }

        return null;
    }
}
