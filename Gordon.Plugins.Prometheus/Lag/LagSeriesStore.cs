using System.Collections.Concurrent;
using System.Globalization;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;
using Gordon.Plugins.Prometheus.Diagnostics;

namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>
/// Turns consumer-status events into lag series and removes series that went stale: a group not reported for the TTL,
/// a partition not listed for the TTL or left out of a full report, an incident that closed. Groups plus partitions are
/// capped at <c>max_series</c>; what is over the cap is refused and counted, never exported.
/// </summary>
/// <remarks>
/// Safe for concurrent handlers and scrapes: each group is locked while it changes; the map of groups is concurrent.
/// </remarks>
internal sealed class LagSeriesStore
{
    private readonly ConcurrentDictionary<GroupKey, GroupSeries> _groups = new();
    private readonly ConcurrentDictionary<GroupSeries, byte> _openIncidents = new();
    private readonly LagFamilies _families;
    private readonly SelfMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly long _ttlTicks;
    private readonly int _maxSeries;
    private int _tracked;
    private int _trackedGroups;
    private int _trackedPartitions;

    /// <summary>Creates the store.</summary>
    /// <param name="families">The families to write to.</param>
    /// <param name="metrics">The store's own metrics.</param>
    /// <param name="time">The clock for last-seen times and the TTL.</param>
    /// <param name="ttl">How long an unreported group or partition keeps its series; zero is forever.</param>
    /// <param name="maxSeries">The most groups plus partitions tracked.</param>
    public LagSeriesStore(LagFamilies families, SelfMetrics metrics, TimeProvider time, TimeSpan ttl, int maxSeries)
    {
        ArgumentNullException.ThrowIfNull(families);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeries, 1);
        _families = families;
        _metrics = metrics;
        _time = time;
        _ttlTicks = ttl.Ticks;
        _maxSeries = maxSeries;
    }

    /// <summary>Groups plus partitions tracked now.</summary>
    public int Tracked => Volatile.Read(ref _tracked);

    /// <summary>True when <c>max_series</c> groups plus partitions are tracked: new ones are refused.</summary>
    public bool IsFull => Volatile.Read(ref _tracked) >= _maxSeries;

    /// <summary>Updates the series of the event's group and partitions.</summary>
    /// <param name="event">The event.</param>
    /// <returns>What was done.</returns>
    public ApplyOutcome Apply(Event @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (!string.Equals(@event.EventType, ConsumerStatusEvent.EventType, StringComparison.Ordinal))
        {
            return ApplyOutcome.NotConsumerStatus;
        }

        var report = GroupReport.Read(@event.Traits);
        if (report.Group is null)
        {
            _metrics.SkippedNoGroup.Inc();
            return ApplyOutcome.NoGroup;
        }

        // A status-only body (LinkedIn's default template) names no cluster: its series carry an empty cluster label.
        var key = new GroupKey(LabelText.Clean(report.Cluster ?? string.Empty), LabelText.Clean(report.Group));
        var now = _time.GetUtcNow().UtcTicks;
        while (true)
        {
            if (!_groups.TryGetValue(key, out var series))
            {
                if (!TryReserve(1))
                {
                    _metrics.RefusedGroups.Inc();
                    _metrics.SkippedRefused.Inc();
                    return ApplyOutcome.Refused;
                }

                series = new GroupSeries(key) { LastSeenTicks = now };
                if (!_groups.TryAdd(key, series))
                {
                    Release(1);
                    continue;
                }

                Interlocked.Increment(ref _trackedGroups);
            }

            lock (series)
            {
                // The sweeper removed it between the lookup and the lock: look it up (or add it) again.
                if (series.Removed)
                {
                    continue;
                }

                Update(series, report, @event, now);
            }

            return ApplyOutcome.Applied;
        }
    }

    /// <summary>Removes groups and partitions not reported for the TTL, and refreshes the store's gauges.</summary>
    public void Sweep()
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (_ttlTicks > 0)
        {
            foreach (var (_, series) in _groups)
            {
                lock (series)
                {
                    if (!series.Removed)
                    {
                        SweepGroup(series, now);
                    }
                }
            }
        }

        foreach (var (series, _) in _openIncidents)
        {
            lock (series)
            {
                if (series is { Removed: false, IncidentOpen: true, IncidentStart: { } start, IncidentDuration: { } duration })
                {
                    duration.Set(Math.Max(0, (now - start.UtcTicks) / (double)TimeSpan.TicksPerSecond));
                }
            }
        }

        _metrics.TrackedGroups.Set(Volatile.Read(ref _trackedGroups));
        _metrics.TrackedPartitions.Set(Volatile.Read(ref _trackedPartitions));
    }

    private void Update(GroupSeries series, in GroupReport report, Event @event, long now)
    {
        var f = _families;
        var labels = series.Labels;
        series.LastSeenTicks = now;
        if (report.TotalLag is { } totalLag)
        {
            if (f.KarrotLag is { } karrot)
            {
                (series.KarrotLag ??= karrot.WithLabels(labels)).Set(totalLag);
            }

            if (f.LagTotal is { } lagTotal)
            {
                (series.LagTotal ??= lagTotal.WithLabels(labels)).Set(totalLag);
            }
        }

        if (f.Status is not { } status)
        {
            // Burrow's families are off: Karrot's gauge is all there is.
            return;
        }

        if (report.StatusCode >= 0)
        {
            (series.Status ??= status.WithLabels(labels)).Set(report.StatusCode);
        }

        if (report.MaxLag is { } maxLag)
        {
            (series.MaxLag ??= f.MaxLag!.WithLabels(labels)).Set(maxLag);
        }

        if (report.Complete is { } complete)
        {
            (series.Complete ??= f.Complete!.WithLabels(labels)).Set(complete);
        }

        (series.LastEvent ??= f.LastEvent!.WithLabels(labels)).Set(@event.Generated.ToUnixTimeMilliseconds() / 1000.0);
        UpdateIncident(series, report, now);
        UpdatePartitions(series, report, @event.Details, now);
    }

    private void UpdateIncident(GroupSeries series, in GroupReport report, long now)
    {
        if (report.IncidentState == ConsumerStatusEvent.IncidentClosed)
        {
            CloseIncident(series);
        }
        else if (report.IncidentState == ConsumerStatusEvent.IncidentOpen || report.HasIncidentId)
        {
            series.IncidentOpen = true;
            series.IncidentStart = report.IncidentStart ?? series.IncidentStart;
            (series.IncidentOpenChild ??= _families.IncidentOpen!.WithLabels(series.Labels)).Set(1);
            if (series.IncidentStart is { } start)
            {
                (series.IncidentDuration ??= _families.IncidentDuration!.WithLabels(series.Labels))
                    .Set(Math.Max(0, (now - start.UtcTicks) / (double)TimeSpan.TicksPerSecond));
            }

            _openIncidents.TryAdd(series, 0);
        }
        else if (!report.IsPolled && series.IncidentOpen)
        {
            // Burrow names the open incident in every notification it sends; one without an id means the incident is
            // over even if its close notification was lost (Burrow does not retry). The poller never carries incidents.
            CloseIncident(series);
        }
    }

    private void CloseIncident(GroupSeries series)
    {
        series.RemoveIncident();
        _openIncidents.TryRemove(series, out _);
    }

    private void UpdatePartitions(GroupSeries series, in GroupReport report, IReadOnlyList<EventDetail> details, long now)
    {
        var f = _families;
        var number = ++series.ReportNumber;
        Span<int> counts = stackalloc int[7];
        var listed = 0;
        for (var i = 0; i < details.Count; i++)
        {
            var detail = details[i];
            if (!string.Equals(detail.Kind, ConsumerStatusEvent.PartitionDetailKind, StringComparison.Ordinal))
            {
                continue;
            }

            var partition = PartitionReport.Read(detail.Traits);
            if (partition.Topic is null || partition.Partition is not { } partitionNumber)
            {
                continue;
            }

            if (partition.StatusCode >= 0)
            {
                counts[partition.StatusCode]++;
                listed++;
            }

            var key = new PartitionKey(LabelText.Clean(partition.Topic), partitionNumber);
            if (!series.Partitions.TryGetValue(key, out var ps))
            {
                if (!TryReserve(1))
                {
                    _metrics.RefusedPartitions.Inc();
                    continue;
                }

                ps = new PartitionSeries([series.Key.Cluster, series.Key.Group, key.Topic, partitionNumber.ToString(CultureInfo.InvariantCulture)]);
                series.Partitions.Add(key, ps);
                Interlocked.Increment(ref _trackedPartitions);
            }

            ps.LastSeenTicks = now;
            ps.LastReport = number;
            if (partition.CurrentLag is { } lag)
            {
                (ps.Lag ??= f.PartitionLag!.WithLabels(ps.Labels)).Set(lag);
            }

            if (partition.EndOffset is { } offset)
            {
                (ps.Offset ??= f.CurrentOffset!.WithLabels(ps.Labels)).Set(offset);
            }

            if (partition.StatusCode >= 0)
            {
                (ps.Status ??= f.PartitionStatus!.WithLabels(ps.Labels)).Set(partition.StatusCode);
            }
        }

        if (series.Partitions.Count > 0)
        {
            ReconcileUnlisted(series, report.IsFull, number);
        }

        UpdateByStatus(series, report, counts, listed);
    }

    // Partitions the report did not list: a full report says they are gone; a partial one lists every partition that is
    // not OK, so the rest are OK (their lag is unknown until listed again, and expires with the TTL).
    private void ReconcileUnlisted(GroupSeries series, bool full, int number)
    {
        List<PartitionKey>? vanished = null;
        foreach (var (key, ps) in series.Partitions)
        {
            if (ps.LastReport == number)
            {
                continue;
            }

            if (full)
            {
                (vanished ??= []).Add(key);
            }
            else
            {
                ps.Status?.Set(BurrowStatus.Ok);
            }
        }

        if (vanished is null)
        {
            return;
        }

        foreach (var key in vanished)
        {
            RemovePartition(series, key);
            _metrics.VanishedPartitions.Inc();
        }
    }

    private void UpdateByStatus(GroupSeries series, in GroupReport report, ReadOnlySpan<int> counts, int listed)
    {
        var statuses = BurrowStatus.PartitionStatuses;
        var children = series.ByStatus ??= CreateByStatus(series.Labels);
        for (var i = 0; i < statuses.Length; i++)
        {
            var code = statuses[i].Code;
            if (code != BurrowStatus.Ok)
            {
                children[i].Set(counts[code]);
            }
            else if (report.IsFull)
            {
                children[i].Set(counts[code]);
            }
            else if (report.PartitionCount is { } total)
            {
                children[i].Set(Math.Max(0, total - (listed - counts[code])));
            }
        }
    }

    private global::Prometheus.Gauge.Child[] CreateByStatus(string[] labels)
    {
        var statuses = BurrowStatus.PartitionStatuses;
        var children = new global::Prometheus.Gauge.Child[statuses.Length];
        for (var i = 0; i < statuses.Length; i++)
        {
            children[i] = _families.PartitionsByStatus!.WithLabels(labels[0], labels[1], statuses[i].Name);
        }

        return children;
    }

    private void SweepGroup(GroupSeries series, long now)
    {
        if (now - series.LastSeenTicks > _ttlTicks)
        {
            RemoveGroup(series);
            _metrics.ExpiredGroups.Inc();
            return;
        }

        List<PartitionKey>? stale = null;
        foreach (var (key, ps) in series.Partitions)
        {
            if (now - ps.LastSeenTicks > _ttlTicks)
            {
                (stale ??= []).Add(key);
            }
        }

        if (stale is null)
        {
            return;
        }

        foreach (var key in stale)
        {
            RemovePartition(series, key);
            _metrics.ExpiredPartitions.Inc();
        }
    }

    private void RemoveGroup(GroupSeries series)
    {
        series.Removed = true;
        var partitions = series.Partitions.Count;
        foreach (var (_, ps) in series.Partitions)
        {
            ps.Remove();
        }

        series.Partitions.Clear();
        series.RemoveGroupSeries();
        _groups.TryRemove(KeyValuePair.Create(series.Key, series));
        _openIncidents.TryRemove(series, out _);
        Interlocked.Add(ref _trackedPartitions, -partitions);
        Interlocked.Decrement(ref _trackedGroups);
        Release(1 + partitions);
    }

    private void RemovePartition(GroupSeries series, PartitionKey key)
    {
        if (series.Partitions.Remove(key, out var ps))
        {
            ps.Remove();
            Interlocked.Decrement(ref _trackedPartitions);
            Release(1);
        }
    }

    private bool TryReserve(int count)
    {
        if (Interlocked.Add(ref _tracked, count) <= _maxSeries)
        {
            return true;
        }

        Interlocked.Add(ref _tracked, -count);
        return false;
    }

    private void Release(int count) => Interlocked.Add(ref _tracked, -count);
}
