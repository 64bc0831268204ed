namespace Gordon.Plugins.CloudWatch.Credentials;

/// <summary>STS answered with an error, or could not be reached.</summary>
internal sealed class StsException : Exception
{
    public StsException()
    {
    }

    public StsException(string message)
        : base(message)
    {
    }

    public StsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
