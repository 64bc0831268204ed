namespace Gordon.Abstractions.Commands;

/// <summary>A positional argument of a <see cref="PluginCommand"/>.</summary>
/// <param name="Name">The name shown in usage and used with <see cref="PluginCommandInvocation.GetArgument"/>.</param>
/// <param name="Description">One line for <c>--help</c>.</param>
/// <param name="Required">False for an argument that may be left out.</param>
public sealed record PluginCommandArgument(string Name, string Description, bool Required = true);
