using Gordon.Abstractions.Plugins;

namespace Gordon.Core.Plugins;

/// <summary>A constructed plugin, ready for the host to start.</summary>
/// <param name="Descriptor">What was constructed.</param>
/// <param name="Instance">The plugin object.</param>
/// <param name="Phase">The phase a handler serves (the <c>phase</c> config key, else the attribute); null for a runnable only.</param>
/// <param name="Context">The context the plugin was constructed with.</param>
internal sealed record ActivePlugin(PluginDescriptor Descriptor, object Instance, string? Phase, PluginContext Context)
{
    /// <summary>The plugin name.</summary>
    public string Name => Descriptor.Name;

    /// <summary>The plugin as a runnable, or null.</summary>
    public IRunnable? Runnable => Instance as IRunnable;

    /// <summary>The plugin as a handler, or null.</summary>
    public IMessageHandler? Handler => Instance as IMessageHandler;

    /// <summary>The plugin's HTTP routes, or null when it serves none.</summary>
    public IHttpEndpoints? Endpoints => Instance as IHttpEndpoints;

    /// <summary>The plugin as the rebuilder of its spooled events, or null.</summary>
    public IEventRebuilder? Rebuilder => Instance as IEventRebuilder;

    /// <summary>The plugin's lifecycle (every plugin has one: a runnable and a handler are both generic plugins).</summary>
    public IGenericPlugin Lifecycle => (IGenericPlugin)Instance;
}
