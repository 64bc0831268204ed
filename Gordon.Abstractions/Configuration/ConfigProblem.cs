namespace Gordon.Abstractions.Configuration;

/// <summary>One thing wrong with the configuration, with everything a user needs to fix it.</summary>
/// <param name="KeyPath">The dotted key path, e.g. <c>burrow.max_body</c>.</param>
/// <param name="Message">What is wrong and what was expected.</param>
/// <param name="Location">Where the value was written, when known.</param>
/// <param name="IsWarning">A warning (e.g. an unknown key at run) rather than an error.</param>
public sealed record ConfigProblem(string KeyPath, string Message, ConfigLocation? Location, bool IsWarning = false)
{
    /// <summary>Formats as <c>file:line:col: key 'path': message</c>.</summary>
    /// <returns>The formatted problem.</returns>
    public override string ToString()
    {
        var where = Location is { } l ? l + ": " : string.Empty;
        var key = KeyPath.Length == 0 ? string.Empty : $"key '{KeyPath}': ";
        return where + key + Message;
    }
}
