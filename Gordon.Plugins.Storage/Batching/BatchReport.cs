using Gordon.Plugins.Storage.Model;

namespace Gordon.Plugins.Storage.Batching;

/// <summary>What one written batch did, for metrics and health.</summary>
/// <param name="Count">Events in the batch.</param>
/// <param name="Duration">How long the write took.</param>
/// <param name="Results">Per-event outcomes (empty when <paramref name="Error"/> is set).</param>
/// <param name="Error">What the store threw, when it threw.</param>
internal sealed record BatchReport(int Count, TimeSpan Duration, IReadOnlyList<RecordResult> Results, Exception? Error);
