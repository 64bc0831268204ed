namespace Gordon.Abstractions.Messaging;

/// <summary>What happened to a message at one hop of its route.</summary>
public enum HistoryOutcome
{
    /// <summary>A runnable emitted the message into the pipeline.</summary>
    Emitted,

    /// <summary>A handler of the phase handled the message successfully.</summary>
    Handled,

    /// <summary>The phase had no active handler and passed the message on.</summary>
    Passed,

    /// <summary>A handler failed and will be retried.</summary>
    Retried,

    /// <summary>A handler failed for good; the message goes to the dead letters.</summary>
    Failed,

    /// <summary>The message was written to the dead-letter file.</summary>
    DeadLettered,

    /// <summary>The message reached the final phase.</summary>
    Done,
}
