namespace Gordon.Core.Plugins;

/// <summary>A plugin class found in a plugin assembly, ready to be constructed.</summary>
/// <param name="Name">The name from <c>[GordonPlugin("name")]</c>, as used in <c>[core] plugins</c>.</param>
/// <param name="Kind">Runnable, handler or both.</param>
/// <param name="Phase">The handler phase from the attribute; the <c>phase</c> config key may override it.</param>
/// <param name="Version">The plugin assembly's informational version (without the source revision).</param>
/// <param name="AssemblyPath">The absolute path of the plugin assembly.</param>
/// <param name="PluginType">The class, loaded in the plugin's own load context.</param>
/// <param name="Description">The attribute's one-line description.</param>
internal sealed record PluginDescriptor(
    string Name,
    PluginKind Kind,
    string? Phase,
    string Version,
    string AssemblyPath,
    Type PluginType,
    string? Description);
