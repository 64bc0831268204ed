namespace Gordon.Abstractions.Configuration;

/// <summary>Configuration that cannot be used; <see cref="Problems"/> lists every error found.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigException()
        : this("The configuration is invalid.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public ConfigException(string message)
        : this([new ConfigProblem(string.Empty, message, null)])
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [new ConfigProblem(string.Empty, message, null)];
    }

    /// <summary>Creates the exception from problems.</summary>
    /// <param name="problems">Every error found; at least one.</param>
    public ConfigException(IReadOnlyList<ConfigProblem> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    /// <summary>Every error found.</summary>
    public IReadOnlyList<ConfigProblem> Problems { get; }
}
