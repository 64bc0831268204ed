namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>One partition of a group's topic.</summary>
/// <param name="Topic">The topic, as exported (see <see cref="LabelText.Clean"/>).</param>
/// <param name="Partition">The partition number.</param>
internal readonly record struct PartitionKey(string Topic, long Partition);
