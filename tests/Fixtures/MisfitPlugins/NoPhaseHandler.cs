using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;

namespace Gordon.Fixtures.MisfitPlugins;

/// <summary>A handler whose attribute names no phase: only a <c>phase</c> config key can make it usable.</summary>
[GordonPlugin("nophase")]
public sealed class NoPhaseHandler : IMessageHandler
{
    public NoPhaseHandler(PluginContext context) => ArgumentNullException.ThrowIfNull(context);

    public ValueTask HandleAsync(IEventMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
