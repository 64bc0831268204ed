namespace Gordon.Core.Tests.Support;

/// <summary>One call made to <see cref="RouterRecordingMetricRelay"/>.</summary>
internal sealed record RouterRecordedMetric(string Kind, string Name, double Value, IReadOnlyDictionary<string, string?> Tags);
