namespace Gordon.Core.Plugins;

/// <summary>A plugin name provided by more than one assembly: the host cannot tell which one the user meant.</summary>
/// <param name="Name">The plugin name.</param>
/// <param name="AssemblyPaths">Every assembly providing it, in discovery order.</param>
internal sealed record PluginDuplicate(string Name, IReadOnlyList<string> AssemblyPaths)
{
    /// <summary>The message naming every path.</summary>
    /// <returns>The message.</returns>
    public override string ToString() =>
        $"plugin '{Name}' is provided by {AssemblyPaths.Count} assemblies: {string.Join(" and ", AssemblyPaths)}; remove all but one";
}
