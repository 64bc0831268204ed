namespace Gordon.Abstractions.Messaging;

/// <summary>One entry of a message's history: which plugin did what in which phase, and when.</summary>
/// <param name="Phase">The phase the entry belongs to.</param>
/// <param name="Plugin">The plugin name, or <c>router</c> for the router's own entries.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Time">When it happened (UTC).</param>
/// <param name="Detail">An optional note, e.g. the error of a failed attempt.</param>
public readonly record struct HistoryEntry(
    string Phase,
    string Plugin,
    HistoryOutcome Outcome,
    DateTimeOffset Time,
    string? Detail = null);
