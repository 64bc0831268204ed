namespace Gordon.Abstractions.Messaging;

/// <summary>
/// Thrown by a handler for a failure that retrying cannot fix (e.g. an invalid event): the router
/// skips the remaining retries and sends the message to the dead letters at once.
/// </summary>
public sealed class PermanentFailureException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PermanentFailureException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Why the message cannot be handled.</param>
    public PermanentFailureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Why the message cannot be handled.</param>
    /// <param name="innerException">The cause.</param>
    public PermanentFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
