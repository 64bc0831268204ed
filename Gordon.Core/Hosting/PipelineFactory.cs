using Gordon.Abstractions.Metrics;
using Gordon.Core.Configuration;
using Gordon.Core.Plugins;
using Gordon.Core.Routing;
using Gordon.Core.Spool;
using Microsoft.Extensions.Logging;

namespace Gordon.Core.Hosting;

/// <summary>Turns a loaded configuration into a <see cref="PipelineBlueprint"/>, collecting every problem.</summary>
internal sealed class PipelineFactory
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly IMetricRelay _metrics;
    private readonly TimeProvider _time;

    public PipelineFactory(ILoggerFactory loggerFactory, IMetricRelay metrics, TimeProvider time)
    {
        _loggerFactory = loggerFactory;
        _metrics = metrics;
        _time = time;
    }

    // strictFlag is the --strict command-line flag; [core] strict also turns strict on.
    public PipelineBlueprint Build(LoadedConfig config, bool strictFlag)
    {
        var core = config.Core;
        var strict = strictFlag || core.Strict;
        var errors = new List<string>();
        var warnings = new List<string>();
        void WarnOrFail(string message) => (strict ? errors : warnings).Add(message);

        var pluginLogger = _loggerFactory.CreateLogger("Gordon.Plugins");
        var catalog = PluginCatalog.Discover(core.PluginDirs, pluginLogger);
        var sink = new DeferredEventSink();
        var daemonInfo = new DaemonInfo(config);
        var activation = new PluginActivator(pluginLogger).Activate(
            catalog,
            core.Plugins,
            PluginContexts.Factory(config, sink, _metrics, _loggerFactory, _time, daemonInfo),
            name => PluginContexts.ConfigFor(config, name),
            strict);
        errors.AddRange(activation.Errors);
        daemonInfo.Attach(catalog, activation.Plugins);
        // Under strict, load failures are already errors; what is left are unknown plugin keys.
        foreach (var warning in activation.Warnings)
        {
            WarnOrFail(warning);
        }

        var routerOptions = RouterOptions.Read(core.Router);
        var spoolOptions = SpoolOptions.Read(core.Spool, core.StateDir);
        foreach (var problem in config.CoreSection.Problems.Where(p => !p.IsWarning))
        {
            errors.Add(problem.ToString());
        }

        foreach (var unknown in config.CoreSection.FindUnknownKeys())
        {
            WarnOrFail(unknown.ToString());
        }

        var handlers = activation.Plugins
            .Where(p => p.Handler is not null)
            .Select(p => new HandlerRegistration(p.Descriptor.Name, p.Phase!, p.Handler!))
            .ToList();
        var route = RouteTable.Build(core.Route, handlers, out var routeErrors);
        errors.AddRange(routeErrors);
        foreach (var key in routerOptions.Concurrency.Keys.Where(k => !route.Phases.Contains(k) && !handlers.Any(h => h.PluginName == k)))
        {
            // A typo here would silently leave a phase or a store at one message at a time.
            WarnOrFail($"[core.router.concurrency] {key}: names neither a phase of the route ({string.Join(", ", route.Phases)}) nor an active handler ({string.Join(", ", handlers.Select(h => h.PluginName))})");
        }

        return new PipelineBlueprint
        {
            Config = config,
            Catalog = catalog,
            Plugins = activation.Plugins,
            RouterOptions = routerOptions,
            SpoolOptions = spoolOptions,
            Route = routeErrors.Count == 0 ? route : null,
            Sink = sink,
            DaemonInfo = daemonInfo,
            Strict = strict,
            Errors = errors,
            Warnings = warnings,
        };
    }
}
