using Prometheus;

namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>
/// The series of one consumer group and its partitions, with the children of each family cached so an event sets values
/// without looking labels up again. Every member is guarded by locking the instance.
/// </summary>
internal sealed class GroupSeries
{
    /// <summary>Creates the (still empty) series of a group.</summary>
    /// <param name="key">The group.</param>
    public GroupSeries(GroupKey key)
    {
        Key = key;
        Labels = [key.Cluster, key.Group];
    }

    /// <summary>The group.</summary>
    public GroupKey Key { get; }

    /// <summary>cluster, consumer_group (Karrot's cluster, consumer are the same values).</summary>
    public string[] Labels { get; }

    /// <summary>Set when the sweeper removed the group: a handler holding this instance must look the group up again.</summary>
    public bool Removed { get; set; }

    /// <summary>When a report last named the group (UTC ticks).</summary>
    public long LastSeenTicks { get; set; }

    /// <summary>Counts the group's reports, to tell which partitions the latest one listed.</summary>
    public int ReportNumber { get; set; }

    /// <summary>When the open incident began; null without an open incident or when Burrow sent no start.</summary>
    public DateTimeOffset? IncidentStart { get; set; }

    /// <summary>Whether Burrow has an open incident on the group.</summary>
    public bool IncidentOpen { get; set; }

    public Dictionary<PartitionKey, PartitionSeries> Partitions { get; } = [];

    public Gauge.Child? KarrotLag { get; set; }

    public Gauge.Child? LagTotal { get; set; }

    public Gauge.Child? Status { get; set; }

    public Gauge.Child? MaxLag { get; set; }

    public Gauge.Child? Complete { get; set; }

    public Gauge.Child? LastEvent { get; set; }

    public Gauge.Child? IncidentOpenChild { get; set; }

    public Gauge.Child? IncidentDuration { get; set; }

    /// <summary>One child per <see cref="BurrowStatus.PartitionStatuses"/> entry, made on first use.</summary>
    public Gauge.Child[]? ByStatus { get; set; }

    /// <summary>Removes the incident's series.</summary>
    public void RemoveIncident()
    {
        IncidentOpen = false;
        IncidentStart = null;
        IncidentOpenChild?.Remove();
        IncidentDuration?.Remove();
        IncidentOpenChild = IncidentDuration = null;
    }

    /// <summary>Removes the group's own series (not its partitions').</summary>
    public void RemoveGroupSeries()
    {
        RemoveIncident();
        KarrotLag?.Remove();
        LagTotal?.Remove();
        Status?.Remove();
        MaxLag?.Remove();
        Complete?.Remove();
        LastEvent?.Remove();
        if (ByStatus is { } byStatus)
        {
            foreach (var child in byStatus)
            {
                child.Remove();
            }
        }

        KarrotLag = LagTotal = Status = MaxLag = Complete = LastEvent = null;
        ByStatus = null;
    }
}
