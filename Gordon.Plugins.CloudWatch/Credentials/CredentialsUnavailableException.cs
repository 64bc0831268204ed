namespace Gordon.Plugins.CloudWatch.Credentials;

/// <summary>No credentials could be found or fetched; the message lists what was tried and why each failed.</summary>
internal sealed class CredentialsUnavailableException : Exception
{
    public CredentialsUnavailableException()
    {
    }

    public CredentialsUnavailableException(string message)
        : base(message)
    {
    }

    public CredentialsUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The text for /health and logs, starting "no AWS credentials" exactly once.</summary>
    public static string Describe(string message) =>
        message.StartsWith("no AWS credentials", StringComparison.Ordinal) ? message : "no AWS credentials: " + message;
}
