using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;

namespace Gordon.Fixtures.MisfitPlugins;

/// <summary>Its constructor always throws: activation must report it and go on.</summary>
[GordonPlugin("throwing", Phase = "publish")]
public sealed class ThrowingPlugin : IMessageHandler
{
    public ThrowingPlugin(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        throw new InvalidOperationException("fixture constructor always fails");
    }

    public ValueTask HandleAsync(IEventMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
