namespace Gordon.Abstractions.Commands;

/// <summary>One command (or group of subcommands) a plugin adds to the <c>gordon</c> command line.</summary>
public sealed class PluginCommand
{
    /// <summary>The word that selects the command, e.g. <c>events</c>.</summary>
    public required string Name { get; init; }

    /// <summary>One line for <c>--help</c>.</summary>
    public required string Description { get; init; }

    /// <summary>Options such as <c>--limit</c>. The daemon adds <c>--config-root</c> itself.</summary>
    public IReadOnlyList<PluginCommandOption> Options { get; init; } = [];

    /// <summary>Positional arguments, in order.</summary>
    public IReadOnlyList<PluginCommandArgument> Arguments { get; init; } = [];

    /// <summary>Subcommands, e.g. <c>list</c> and <c>show</c> under <c>events</c>.</summary>
    public IReadOnlyList<PluginCommand> Subcommands { get; init; } = [];

    /// <summary>
    /// Runs the command and returns the process exit code (0 success, 1 failure, 2 usage, 69 unavailable,
    /// 78 configuration). Null for a command that only groups subcommands.
    /// </summary>
    public Func<PluginCommandInvocation, CancellationToken, Task<int>>? Run { get; init; }
}
