namespace Gordon.Plugins.RabbitMQ.Publishing;

/// <summary>
/// A message was not confirmed by RabbitMQ: refused (nack), returned as unroutable, or cut off by a lost connection.
/// Thrown by <c>rabbitmq.publish</c> so the router retries the message and, when retries are spent, dead-letters it.
/// </summary>
public sealed class RabbitMqPublishException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RabbitMqPublishException()
    {
    }

    /// <summary>Creates the exception with a reason.</summary>
    /// <param name="message">What happened to the message.</param>
    public RabbitMqPublishException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a reason and a cause.</summary>
    /// <param name="message">What happened to the message.</param>
    /// <param name="innerException">The cause.</param>
    public RabbitMqPublishException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
