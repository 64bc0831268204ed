namespace Gordon.Plugins.RabbitMQ.Wire;

/// <summary>A message body that is not a Gordon wire message this daemon can read; the message says why.</summary>
public sealed class WireFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WireFormatException()
    {
    }

    /// <summary>Creates the exception with a reason.</summary>
    /// <param name="message">What is wrong with the body.</param>
    public WireFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a reason and a cause.</summary>
    /// <param name="message">What is wrong with the body.</param>
    /// <param name="innerException">The cause.</param>
    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
