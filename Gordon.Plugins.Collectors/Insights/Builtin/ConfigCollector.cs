using System.Text.Json.Nodes;
using Gordon.Abstractions.Collectors;

namespace Gordon.Plugins.Collectors.Insights.Builtin;

/// <summary>The daemon's merged configuration with every secret replaced by <c>***</c>: <c>config.json</c> in every tarball.</summary>
[Collector("config", "1.0", Config = true, Description = "The merged configuration, secrets redacted")]
public sealed class ConfigCollector : ICollector
{
    /// <inheritdoc />
    public Task<CollectorOutput> CollectAsync(CollectorInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var daemon = invocation.Daemon ?? throw new InvalidOperationException("no daemon information: the configuration cannot be collected");
        return Task.FromResult(CollectorOutput.Json(JsonNode.Parse(daemon.GetRedactedConfigJson())));
    }
}
