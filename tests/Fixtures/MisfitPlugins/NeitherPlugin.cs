using Gordon.Abstractions.Plugins;

namespace Gordon.Fixtures.MisfitPlugins;

/// <summary>A plugin that is neither runnable nor handler: nothing could ever call it.</summary>
[GordonPlugin("neither")]
public sealed class NeitherPlugin : IGenericPlugin
{
    public NeitherPlugin(PluginContext context) => ArgumentNullException.ThrowIfNull(context);
}
