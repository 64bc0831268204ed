namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>
/// The values of one consumer group and its partitions, with their label sets encoded once; NaN is "not reported"
/// (that series is not written). Every member is guarded by <see cref="Gate"/>.
/// </summary>
internal sealed class GroupSeries
{
    /// <summary>Creates the (still empty) series of a group.</summary>
    /// <param name="key">The group.</param>
    public GroupSeries(GroupKey key)
    {
        Key = key;
        Labels = LabelBytes.Encode(("cluster", key.Cluster), ("consumer_group", key.Group));
        KarrotLabels = LabelBytes.Encode(("cluster", key.Cluster), ("consumer", key.Group));
    }

    /// <summary>The group.</summary>
    public GroupKey Key { get; }

    /// <summary>
    /// Guards every member. A <see cref="Lock"/>, not the instance's monitor: a scrape takes it once per group and
    /// family (130,000 times for 10,000 groups), and the monitor's path through the runtime cost a fifth of the scrape.
    /// </summary>
    public Lock Gate { get; } = new();

    /// <summary>Encoded <c>cluster</c>, <c>consumer_group</c>.</summary>
    public byte[] Labels { get; }

    /// <summary>Encoded <c>cluster</c>, <c>consumer</c> (Karrot's label names).</summary>
    public byte[] KarrotLabels { get; }

    /// <summary>Set when the group was removed: a handler holding this instance must look the group up again.</summary>
    public bool Removed { get; set; }

    /// <summary>Changes whenever a value, a partition or the incident changes, so a scrape knows its rendering is stale.</summary>
    public int Version { get; set; }

    /// <summary>The lines the last scrape wrote for the group; stale when its version differs from <see cref="Version"/>.</summary>
    public GroupRendering Rendering { get; } = new();

    /// <summary>When a report last named the group (UTC ticks).</summary>
    public long LastSeenTicks { get; set; }

    /// <summary>Counts the group's reports, to tell which partitions the latest one listed.</summary>
    public int ReportNumber { get; set; }

    public double TotalLag { get; set; } = double.NaN;

    public double Status { get; set; } = double.NaN;

    public double MaxLag { get; set; } = double.NaN;

    public double Complete { get; set; } = double.NaN;

    public double LastEvent { get; set; } = double.NaN;

    /// <summary>Whether Burrow has an open incident on the group.</summary>
    public bool IncidentOpen { get; set; }

    /// <summary>When the open incident began; null when Burrow sent no start.</summary>
    public DateTimeOffset? IncidentStart { get; set; }

    /// <summary>Partitions per <see cref="BurrowStatus.PartitionStatuses"/> entry; NaN until known.</summary>
    public double[] ByStatus { get; } = [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN];

    public Dictionary<PartitionKey, PartitionSeries> Partitions { get; } = [];
}
