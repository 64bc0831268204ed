using Gordon.Abstractions.Configuration;

namespace Gordon.Core.Configuration;

/// <summary>The merged, expanded and checked configuration of one config root.</summary>
internal sealed class LoadedConfig
{
    public LoadedConfig(string configRoot, IReadOnlyList<string> files, ConfigTable root, CoreSettings core, ConfigSection coreSection)
    {
        ConfigRoot = configRoot;
        Files = files;
        Root = root;
        Core = core;
        CoreSection = coreSection;
    }

    /// <summary>The absolute config root.</summary>
    public string ConfigRoot { get; }

    /// <summary>The files read, defaults first.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The merged tree, with <c>${VAR}</c> expanded.</summary>
    public ConfigTable Root { get; }

    /// <summary>The checked <c>[core]</c> settings.</summary>
    public CoreSettings Core { get; }

    /// <summary>
    /// The reader that read <c>[core]</c>; after the router read <c>[core.router]</c> through
    /// <see cref="CoreSettings.Router"/>, <see cref="ConfigSection.FindUnknownKeys"/> reports every unread key.
    /// </summary>
    public ConfigSection CoreSection { get; }

    /// <summary>
    /// A plugin's config: for <c>a.b.c</c>, the non-table keys of <c>[a]</c>, then of <c>[a.b]</c>, then the whole
    /// <c>[a.b.c]</c>, each later table winning. Sub-tables of a parent are other plugins' tables (or a parent's
    /// own structure) and are never inherited; the plugin's own sub-tables stay, except one that is (or leads to)
    /// the table of another plugin in <c>[core] plugins</c>. A missing table is empty.
    /// </summary>
    /// <param name="pluginName">The dotted plugin name.</param>
    /// <returns>The table, whose <see cref="ConfigTable.Path"/> is the plugin name.</returns>
    /// <exception cref="ConfigException">A table on the plugin's path is written as another type of value.</exception>
    public ConfigTable PluginTable(string pluginName) => PluginConfigResolver.Resolve(Root, pluginName, Core.Plugins);
}
