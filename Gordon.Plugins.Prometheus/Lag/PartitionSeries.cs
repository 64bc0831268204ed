using Prometheus;

namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>The series of one partition of a group. Guarded by its group's lock.</summary>
/// <param name="labels">cluster, consumer_group, topic, partition.</param>
internal sealed class PartitionSeries(string[] labels)
{
    /// <summary>The label values, made once.</summary>
    public string[] Labels { get; } = labels;

    /// <summary>When a report last listed the partition (UTC ticks).</summary>
    public long LastSeenTicks { get; set; }

    /// <summary>The group's report number that last listed the partition, to find the ones a full report left out.</summary>
    public int LastReport { get; set; }

    public Gauge.Child? Lag { get; set; }

    public Gauge.Child? Offset { get; set; }

    public Gauge.Child? Status { get; set; }

    /// <summary>Removes every series of the partition from the registry.</summary>
    public void Remove()
    {
        Lag?.Remove();
        Offset?.Remove();
        Status?.Remove();
        Lag = Offset = Status = null;
    }
}
