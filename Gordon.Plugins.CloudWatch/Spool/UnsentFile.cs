using Gordon.Plugins.CloudWatch.Datums;

namespace Gordon.Plugins.CloudWatch.Spool;

/// <summary>Datums a previous run could not send, read back from the state directory.</summary>
/// <param name="Path">The file.</param>
/// <param name="Namespace">The namespace they were meant for.</param>
/// <param name="Datums">The datums, oldest first.</param>
internal sealed record UnsentFile(string Path, string Namespace, IReadOnlyList<MetricDatum> Datums);
