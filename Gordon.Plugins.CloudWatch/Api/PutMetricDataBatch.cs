using Gordon.Plugins.CloudWatch.Datums;

namespace Gordon.Plugins.CloudWatch.Api;

/// <summary>One PutMetricData request: its form body and the datums in it (in member order).</summary>
/// <param name="Body">The form-encoded body, ASCII.</param>
/// <param name="Datums">The datums it carries.</param>
internal sealed record PutMetricDataBatch(byte[] Body, IReadOnlyList<MetricDatum> Datums);
