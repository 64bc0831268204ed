namespace Gordon.EndToEnd.Tests.Support;

/// <summary>One row of the store's <c>event</c> table: its message id and its <c>group</c> trait (null when it has none).</summary>
internal readonly record struct StoredEvent(string MessageId, string? Group);
