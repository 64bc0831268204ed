using System.Text.Json.Nodes;
using Gordon.Abstractions.Collectors;

namespace Gordon.Plugins.Collectors.Insights.Builtin;

/// <summary>The daemon's version and its plugins with their kinds, phases, versions and states.</summary>
[Collector("plugins", "1.0", Description = "Plugin inventory with versions and states")]
public sealed class PluginsCollector : ICollector
{
    /// <inheritdoc />
    public Task<CollectorOutput> CollectAsync(CollectorInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var daemon = invocation.Daemon ?? throw new InvalidOperationException("no daemon information: the plugin inventory cannot be collected");
        var plugins = new JsonArray();
        foreach (var plugin in daemon.GetPlugins())
        {
            plugins.Add(new JsonObject
            {
                ["name"] = plugin.Name,
                ["kind"] = plugin.Kind,
                ["phase"] = plugin.Phase,
                ["version"] = plugin.Version,
                ["state"] = plugin.State,
            });
        }

        return Task.FromResult(CollectorOutput.Json(new JsonObject { ["daemon_version"] = daemon.Version, ["plugins"] = plugins }));
    }
}
