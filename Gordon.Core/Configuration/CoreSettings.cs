using Gordon.Abstractions.Configuration;

namespace Gordon.Core.Configuration;

/// <summary>The <c>[core]</c> table, checked; defaults are those documented in the shipped <c>gordon.toml</c>.</summary>
/// <param name="Plugins">The active plugins, in start order.</param>
/// <param name="PluginDirs">Absolute folders scanned for plugins.</param>
/// <param name="StateDir">The absolute state folder.</param>
/// <param name="Debug">Verbose diagnostics.</param>
/// <param name="Strict">Any plugin load failure or unknown key is fatal.</param>
/// <param name="RestartRunnables">Restart a runnable that throws or returns, with backoff.</param>
/// <param name="Route">Phase → next phase, in file order (an <see cref="OrderedDictionary{TKey, TValue}"/>).</param>
/// <param name="Http">The <c>[core.http]</c> table.</param>
/// <param name="Logging">The <c>[core.logging]</c> table.</param>
/// <param name="Router">The <c>[core.router]</c> table, unread: the router reads it with its own options.</param>
/// <param name="Spool">The <c>[core.spool]</c> table, unread: the spool reads it with its own options.</param>
internal sealed record CoreSettings(
    IReadOnlyList<string> Plugins,
    IReadOnlyList<string> PluginDirs,
    string StateDir,
    bool Debug,
    bool Strict,
    bool RestartRunnables,
    IReadOnlyDictionary<string, string> Route,
    HttpSettings Http,
    LoggingSettings Logging,
    ConfigSection Router,
    ConfigSection Spool)
{
    public const string DefaultStateDir = "state";

    public static IReadOnlyList<string> DefaultPluginDirs { get; } = ["plugins"];

    public static IReadOnlyList<KeyValuePair<string, string>> DefaultRoute { get; } =
        [new("consume", "enrich"), new("enrich", "publish"), new("publish", "done")];
}
