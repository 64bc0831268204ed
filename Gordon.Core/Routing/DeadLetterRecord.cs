using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Core.Routing;

/// <summary>One message that left the pipeline without reaching <c>done</c>, as kept in <c>dead-letters.jsonl</c>.</summary>
/// <param name="MessageId">The message id.</param>
/// <param name="Event">The event, as emitted.</param>
/// <param name="History">The message history, including the failed attempts.</param>
/// <param name="ErrorType">The exception type name, or a reason such as <c>drain-timeout</c>.</param>
/// <param name="Error">The error message.</param>
/// <param name="Handler">The plugin that failed, or null when no handler was at fault (e.g. a drain timeout).</param>
/// <param name="Phase">The phase the message was in.</param>
/// <param name="Time">When it was dead-lettered.</param>
internal sealed record DeadLetterRecord(
    string MessageId,
    Event Event,
    IReadOnlyList<HistoryEntry> History,
    string ErrorType,
    string Error,
    string? Handler,
    string Phase,
    DateTimeOffset Time);
