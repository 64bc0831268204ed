namespace Gordon.Abstractions.Messaging;

/// <summary>How a message left the pipeline.</summary>
public enum DeliveryOutcome
{
    /// <summary>The message reached the final phase: every handler on its route succeeded.</summary>
    Done,

    /// <summary>The message was written to the dead-letter file after its retries were spent.</summary>
    DeadLettered,
}
