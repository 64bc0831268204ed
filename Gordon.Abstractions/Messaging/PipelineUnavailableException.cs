namespace Gordon.Abstractions.Messaging;

/// <summary>Thrown by <see cref="IEventSink"/> when a message cannot be accepted now.</summary>
public sealed class PipelineUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PipelineUnavailableException()
        : this(PipelineUnavailableReason.Full, "The pipeline cannot accept the message.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public PipelineUnavailableException(string message)
        : this(PipelineUnavailableReason.Full, message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PipelineUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = PipelineUnavailableReason.Full;
    }

    /// <summary>Creates the exception with a reason.</summary>
    /// <param name="reason">Why the message was refused.</param>
    /// <param name="message">What went wrong.</param>
    public PipelineUnavailableException(PipelineUnavailableReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Why the message was refused.</summary>
    public PipelineUnavailableReason Reason { get; }
}

/// <summary>Why the pipeline refused a message.</summary>
public enum PipelineUnavailableReason
{
    /// <summary>The first phase stayed full for longer than the enqueue timeout.</summary>
    Full,

    /// <summary>The daemon is draining and accepts no new messages.</summary>
    Stopping,
}
