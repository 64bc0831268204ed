namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>The values of one partition of a group; NaN is "not reported". Guarded by its group's <see cref="GroupSeries.Gate"/>.</summary>
/// <param name="labels">The encoded labels cluster, consumer_group, topic, partition.</param>
internal sealed class PartitionSeries(byte[] labels)
{
    /// <summary>The encoded label set.</summary>
    public byte[] Labels { get; } = labels;

    /// <summary>When a report last listed the partition (UTC ticks).</summary>
    public long LastSeenTicks { get; set; }

    /// <summary>The group's report number that last listed the partition, to find the ones a full report left out.</summary>
    public int LastReport { get; set; }

    public double Lag { get; set; } = double.NaN;

    public double Offset { get; set; } = double.NaN;

    public double Status { get; set; } = double.NaN;
}
