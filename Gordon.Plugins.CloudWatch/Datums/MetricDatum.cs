namespace Gordon.Plugins.CloudWatch.Datums;

/// <summary>One CloudWatch data point, as PutMetricData and EMF take it (the namespace is the publisher's).</summary>
/// <param name="MetricName">The metric name.</param>
/// <param name="Dimensions">Name/value pairs, in the order they are sent.</param>
/// <param name="Value">The value; must be finite.</param>
/// <param name="Unit">A CloudWatch unit, or null for none (CloudWatch records "None").</param>
/// <param name="Timestamp">When the value was observed.</param>
/// <param name="StorageResolution">1 for high resolution, null for the standard 60 seconds.</param>
internal sealed record MetricDatum(
    string MetricName,
    IReadOnlyList<Dimension> Dimensions,
    double Value,
    string? Unit,
    DateTimeOffset Timestamp,
    int? StorageResolution = null);

/// <summary>One dimension of a datum.</summary>
/// <param name="Name">The dimension name.</param>
/// <param name="Value">The dimension value.</param>
internal readonly record struct Dimension(string Name, string Value);
