namespace Gordon.Core.Routing;

/// <summary>How one handler's attempts on a message ended, and when.</summary>
/// <param name="Error">Null when the handler succeeded; else its last error.</param>
/// <param name="End">The timestamp when it ended, reused as the start of what follows.</param>
internal readonly record struct HandlerOutcome(Exception? Error, long End);
