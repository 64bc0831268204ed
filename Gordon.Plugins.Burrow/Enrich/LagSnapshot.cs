namespace Gordon.Plugins.Burrow.Enrich;

/// <summary>What the enricher remembers of one report of a group.</summary>
/// <param name="MessageId">The report's message id (a replayed message must not be compared with itself).</param>
/// <param name="At">When the report was generated.</param>
/// <param name="TotalLag">Its total lag.</param>
/// <param name="TopicLags">Lag per topic, from a report listing every partition; null for a partial report.</param>
internal sealed record LagSnapshot(string MessageId, DateTimeOffset At, long TotalLag, IReadOnlyDictionary<string, TopicLag>? TopicLags);

/// <summary>One topic's total in a snapshot.</summary>
/// <param name="Lag">Sum of its partitions' current lag.</param>
/// <param name="Partitions">How many partitions were listed.</param>
internal readonly record struct TopicLag(long Lag, int Partitions);
