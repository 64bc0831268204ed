namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>A consumer group: its cluster and name, as exported (see <see cref="LabelText.Clean"/>).</summary>
/// <param name="Cluster">The cluster, empty when the report named none.</param>
/// <param name="Group">The consumer group.</param>
internal readonly record struct GroupKey(string Cluster, string Group);
