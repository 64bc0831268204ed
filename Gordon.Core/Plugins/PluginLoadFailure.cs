namespace Gordon.Core.Plugins;

/// <summary>A plugin assembly or class that could not be loaded, and why.</summary>
/// <param name="AssemblyPath">The absolute path of the assembly.</param>
/// <param name="PluginName">
/// The plugin name, when known (read from the assembly's metadata even when its types cannot load);
/// null when the file is not a readable .NET assembly.
/// </param>
/// <param name="Cause">What went wrong, in words a user can act on.</param>
internal sealed record PluginLoadFailure(string AssemblyPath, string? PluginName, string Cause)
{
    /// <summary>Formats as <c>plugin 'name' (path): cause</c>.</summary>
    /// <returns>The message.</returns>
    public override string ToString() =>
        PluginName is null ? $"{AssemblyPath}: {Cause}" : $"plugin '{PluginName}' ({AssemblyPath}): {Cause}";
}
