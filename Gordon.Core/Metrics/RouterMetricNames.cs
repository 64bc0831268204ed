namespace Gordon.Core.Metrics;

/// <summary>
/// The router's metric names. The first six are Gordon's (so dashboards carry over), with two fixes:
/// <c>router-message-consumed</c> counts messages, not hops, and the final count is
/// <c>router-message-done</c> (Gordon's <c>router-message-completed</c> is not emitted as well, so no
/// total is counted twice). The rest are new. The per-message counters and the gauges are reported by
/// each worker per batch (when its channel runs empty, or every 1024 messages), not per message: the
/// totals are exact, they just arrive a batch at a time.
/// </summary>
internal static class RouterMetricNames
{
    /// <summary>Counter: messages accepted into the pipeline (once per message).</summary>
    public const string Consumed = "router-message-consumed";

    /// <summary>Counter: messages dead-lettered, tagged <c>error</c> (exception type or reason).</summary>
    public const string Dropped = "router-message-dropped";

    /// <summary>Counter: each move of a message from one phase to the next, tagged <c>current</c> and <c>next</c>.</summary>
    public const string UpdatePhase = "router-update-message-phase";

    /// <summary>Counter: messages that reached <c>done</c>.</summary>
    public const string Done = "router-message-done";

    /// <summary>Gauge: messages in the pipeline now.</summary>
    public const string InFlight = "router-messages-in-flight";

    /// <summary>Histogram (seconds): from emit to done or dead letters.</summary>
    public const string FlightDuration = "router-message-flight-duration";

    /// <summary>Gauge: messages waiting in a phase's channel, tagged <c>phase</c>.</summary>
    public const string QueueDepth = "router-queue-depth";

    /// <summary>Counter: handler calls that succeeded, tagged <c>plugin</c>, <c>phase</c> (Karrot's events per reporter).</summary>
    public const string Handled = "router-handler-handled";

    /// <summary>Counter: handler attempts that failed and are retried, tagged <c>plugin</c>, <c>phase</c>.</summary>
    public const string Retried = "router-handler-retried";

    /// <summary>Counter: handler calls that failed for good, tagged <c>plugin</c>, <c>phase</c>.</summary>
    public const string Failed = "router-handler-failed";

    /// <summary>Histogram (seconds): one handler call, tagged <c>plugin</c>, <c>phase</c>.</summary>
    public const string HandlerDuration = "router-handler-duration";

    /// <summary>Counter: records written to the dead-letter file, tagged <c>phase</c>.</summary>
    public const string DeadLettered = "router-dead-letters";

    /// <summary>Counter: dead letters that could not be written (disk full, permissions): these are lost.</summary>
    public const string DeadLetterWriteFailed = "router-dead-letter-write-failed";
}
