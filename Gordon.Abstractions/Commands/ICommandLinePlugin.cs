using Gordon.Abstractions.Plugins;

namespace Gordon.Abstractions.Commands;

/// <summary>
/// Implemented by a plugin that adds commands to the <c>gordon</c> command line, such as
/// <c>gordon events list</c> or <c>gordon storage upgrade</c>.
/// </summary>
/// <remarks>
/// For a command, the daemon constructs the plugin with its configuration as it would for <c>run</c>
/// (the plugin need not be listed in <c>[core] plugins</c>), but never starts it: a command opens what it
/// needs itself and is done when its delegate returns. The plugin's <c>Sink</c> refuses every event.
/// </remarks>
public interface ICommandLinePlugin : IGenericPlugin
{
    /// <summary>The top-level commands this plugin adds. Names must not clash with the daemon's own commands.</summary>
    IReadOnlyList<PluginCommand> Commands { get; }
}
