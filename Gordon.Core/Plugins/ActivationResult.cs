namespace Gordon.Core.Plugins;

/// <summary>What activation produced: the plugins to run, and what the user must be told.</summary>
/// <param name="Plugins">The constructed plugins, in <c>[core] plugins</c> order.</param>
/// <param name="Errors">
/// Problems that stop the daemon: each names the plugin, its path when known and the cause (a missing or duplicate
/// name, a failed load, a throwing constructor, a handler without phase, a bad config value).
/// </param>
/// <param name="Warnings">
/// Problems the daemon starts despite: unknown config keys by full path, and (without strict) load failures of
/// plugins that <c>[core] plugins</c> does not name.
/// </param>
internal sealed record ActivationResult(
    IReadOnlyList<ActivePlugin> Plugins,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings)
{
    /// <summary>True when there is no error.</summary>
    public bool Succeeded => Errors.Count == 0;
}
