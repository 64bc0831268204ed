namespace Gordon.Abstractions.Commands;

/// <summary>A named option of a <see cref="PluginCommand"/>.</summary>
/// <param name="Name">The option with its dashes, e.g. <c>--limit</c>.</param>
/// <param name="Description">One line for <c>--help</c>.</param>
/// <param name="IsFlag">True for an option without a value (<c>--dry-run</c>).</param>
/// <param name="AllowMultiple">True when the option may be given more than once (<c>--filter a --filter b</c>).</param>
/// <param name="Required">True when the command cannot run without it.</param>
public sealed record PluginCommandOption(
    string Name,
    string Description,
    bool IsFlag = false,
    bool AllowMultiple = false,
    bool Required = false);
