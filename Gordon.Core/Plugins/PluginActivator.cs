using System.Reflection;
using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace Gordon.Core.Plugins;

/// <summary>
/// Constructs the plugins <c>[core] plugins</c> names, in that order, and turns everything that went wrong in
/// discovery and construction into messages a user can act on. It never throws for a bad plugin: the host reads
/// <see cref="ActivationResult.Errors"/> and exits non-zero, or starts without the failed plugins.
/// </summary>
/// <param name="logger">Logs each activated plugin.</param>
internal sealed partial class PluginActivator(ILogger logger)
{
    /// <summary>The reserved key of every handler's table: it overrides <c>[GordonPlugin(Phase=...)]</c>.</summary>
    public const string PhaseKey = "phase";

    private readonly ILogger _logger = logger ?? throw new ArgumentNullException(nameof(logger));

    /// <summary>Constructs the active plugins.</summary>
    /// <param name="catalog">What discovery found.</param>
    /// <param name="activeNames">The names in <c>[core] plugins</c>, in order.</param>
    /// <param name="contextFactory">Builds a plugin's context from its name and config reader.</param>
    /// <param name="configFor">The typed reader over a plugin's config table (with inherited keys).</param>
    /// <param name="strict">
    /// <c>[core] strict</c>: every load failure in a plugin directory is an error, named or not; without it, a
    /// failure of a plugin <paramref name="activeNames"/> does not name is a warning.
    /// </param>
    /// <returns>The plugins, errors and warnings.</returns>
    public ActivationResult Activate(
        PluginCatalog catalog,
        IReadOnlyList<string> activeNames,
        Func<string, ConfigSection, PluginContext> contextFactory,
        Func<string, ConfigSection> configFor,
        bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(activeNames);
        ArgumentNullException.ThrowIfNull(contextFactory);
        ArgumentNullException.ThrowIfNull(configFor);

        var errors = new List<string>();
        var warnings = new List<string>();
        var active = new HashSet<string>(activeNames, StringComparer.Ordinal);

        foreach (var failure in catalog.Failures)
        {
            var named = failure.PluginName is { } name && active.Contains(name);
            (named || strict ? errors : warnings).Add(named || strict ? failure.ToString() : $"{failure} (not in [core] plugins, ignored)");
        }

        foreach (var duplicate in catalog.Duplicates)
        {
            var named = active.Contains(duplicate.Name);
            (named || strict ? errors : warnings).Add(named || strict ? duplicate.ToString() : $"{duplicate} (not in [core] plugins, ignored)");
        }

        var plugins = new List<ActivePlugin>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in activeNames)
        {
            if (!done.Add(name))
            {
                errors.Add($"plugin '{name}' is listed more than once in [core] plugins");
                continue;
            }

            // Already reported above: a failed load or a duplicate of this name.
            if (catalog.Failures.Any(f => f.PluginName == name) || catalog.Duplicates.Any(d => d.Name == name))
            {
                continue;
            }

            if (!catalog.TryFind(name, out var descriptor))
            {
                errors.Add(NotFound(name, catalog));
                continue;
            }

            if (Construct(descriptor, contextFactory, configFor(name), errors, warnings) is { } plugin)
            {
                plugins.Add(plugin);
                Log.Activated(_logger, name, descriptor.Kind, plugin.Phase ?? "-", descriptor.AssemblyPath);
            }
        }

        return new ActivationResult(plugins, errors, warnings);
    }

    private static ActivePlugin? Construct(
        PluginDescriptor descriptor,
        Func<string, ConfigSection, PluginContext> contextFactory,
        ConfigSection config,
        List<string> errors,
        List<string> warnings)
    {
        var name = descriptor.Name;
        string? phase = null;
        var ok = true;
        if (descriptor.Kind.HasFlag(PluginKind.Handler))
        {
            // Read through the reader before construction, so the key counts as used and a bad value is reported
            // with its file and line like any other config problem.
            phase = config.GetOptionalString(PhaseKey) ?? descriptor.Phase;
            if (string.IsNullOrWhiteSpace(phase))
            {
                errors.Add($"plugin '{name}' ({descriptor.AssemblyPath}) is a handler but has no phase: "
                    + $"set '{PhaseKey}' in its config table [{config.Path}] or Phase in its [GordonPlugin] attribute");
                ok = false;
            }
        }

        object? instance = null;
        var context = contextFactory(name, config);
        if (ok)
        {
            try
            {
                instance = descriptor.PluginType.GetConstructor([typeof(PluginContext)])!.Invoke([context]);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
            {
                errors.Add($"plugin '{name}' ({descriptor.AssemblyPath}): its constructor failed: {inner.GetType().Name}: {inner.Message}");
            }
        }

        // Problems the plugin's own reads recorded are reported even when its constructor threw: they often say why.
        foreach (var problem in config.Problems)
        {
            (problem.IsWarning ? warnings : errors).Add($"plugin '{name}': {problem}");
        }

        if (instance is null || config.HasErrors)
        {
            // Not disposed: by the contract a constructor only reads config; resources are opened in StartAsync.
            return null;
        }

        // Only after a successful construction: before it, every key the plugin would read looks unknown.
        foreach (var unknown in config.FindUnknownKeys())
        {
            warnings.Add($"plugin '{name}': {unknown}");
        }

        return new ActivePlugin(descriptor, instance, phase, context);
    }

    private static string NotFound(string name, PluginCatalog catalog)
    {
        var available = catalog.Plugins.Select(p => p.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var message = $"plugin '{name}' is named in [core] plugins, but no assembly in the plugin directories provides it; "
            + (available.Count == 0 ? "no plugins were found" : "available: " + string.Join(", ", available));
        var unreadable = catalog.Failures.Where(f => f.PluginName is null).Select(f => f.AssemblyPath).ToList();
        if (unreadable.Count > 0)
        {
            message += "; could not be read (it may be one of these): " + string.Join(", ", unreadable);
        }

        return message;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "Activated plugin {PluginName} ({Kind}, phase {Phase}) from {AssemblyPath}")]
        public static partial void Activated(ILogger logger, string pluginName, PluginKind kind, string phase, string assemblyPath);
    }
}
