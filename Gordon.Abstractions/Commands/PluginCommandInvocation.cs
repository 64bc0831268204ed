namespace Gordon.Abstractions.Commands;

/// <summary>What a <see cref="PluginCommand"/> was given, and where it writes.</summary>
public sealed class PluginCommandInvocation
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _options;
    private readonly IReadOnlyDictionary<string, string?> _arguments;

    /// <summary>Creates an invocation from parsed values.</summary>
    /// <param name="options">Option values by option name (with dashes); a flag that was given maps to an empty list.</param>
    /// <param name="arguments">Argument values by argument name; null when an optional argument was left out.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where problems go (stderr).</param>
    public PluginCommandInvocation(
        IReadOnlyDictionary<string, IReadOnlyList<string>> options,
        IReadOnlyDictionary<string, string?> arguments,
        TextWriter output,
        TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        _options = options;
        _arguments = arguments;
        Output = output;
        Error = error;
    }

    /// <summary>Standard output.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>The last value given for an option, or null when it was not given.</summary>
    /// <param name="name">The option name with its dashes.</param>
    public string? GetOption(string name) =>
        _options.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

    /// <summary>Every value given for an option, in order; empty when it was not given.</summary>
    /// <param name="name">The option name with its dashes.</param>
    public IReadOnlyList<string> GetOptions(string name) =>
        _options.TryGetValue(name, out var values) ? values : [];

    /// <summary>True when a flag (or any option) was given.</summary>
    /// <param name="name">The option name with its dashes.</param>
    public bool HasOption(string name) => _options.ContainsKey(name);

    /// <summary>A positional argument's value, or null when an optional argument was left out.</summary>
    /// <param name="name">The argument name.</param>
    public string? GetArgument(string name) => _arguments.TryGetValue(name, out var value) ? value : null;
}
