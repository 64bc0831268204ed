namespace Gordon.Core.Routing;

/// <summary>What a dead-letter replay did.</summary>
/// <param name="Replayed">Records re-emitted into the pipeline and removed from the file.</param>
/// <param name="Remaining">Records left in the file: the pipeline refused them, or they could not be read.</param>
internal readonly record struct DeadLetterReplayResult(int Replayed, int Remaining);
