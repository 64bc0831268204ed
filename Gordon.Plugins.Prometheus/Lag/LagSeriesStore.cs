using System.Collections.Concurrent;
using System.Globalization;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;
using Gordon.Plugins.Prometheus.Diagnostics;

namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>
/// Keeps the lag values of every consumer group and partition reported, and removes them when they go stale: a group
/// not reported for the TTL, a partition not listed for the TTL or left out of a full report, an incident that closed.
/// Groups plus partitions are capped at <c>max_series</c>; what is over the cap is refused and counted, never exported.
/// <see cref="LagExpositionWriter"/> writes what it holds.
/// </summary>
/// <remarks>
/// Safe for concurrent handlers and scrapes: each group is locked while it changes or is written; the map of groups is
/// concurrent.
/// </remarks>
internal sealed class LagSeriesStore
{
    private readonly ConcurrentDictionary<GroupKey, GroupSeries> _groups = new();
    private readonly SelfMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly bool _partitions;
    private readonly long _ttlTicks;
    private readonly int _maxSeries;
    private int _tracked;
    private int _trackedGroups;
    private int _trackedPartitions;

    /// <summary>Creates the store.</summary>
    /// <param name="metrics">The plugin's own metrics.</param>
    /// <param name="time">The clock for last-seen times and the TTL.</param>
    /// <param name="partitions">Whether partitions are kept (Burrow's names are on).</param>
    /// <param name="ttl">How long an unreported group or partition keeps its series; zero is forever.</param>
    /// <param name="maxSeries">The most groups plus partitions tracked.</param>
    public LagSeriesStore(SelfMetrics metrics, TimeProvider time, bool partitions, TimeSpan ttl, int maxSeries)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeries, 1);
        _metrics = metrics;
        _time = time;
        _partitions = partitions;
        _ttlTicks = ttl.Ticks;
        _maxSeries = maxSeries;
    }

    /// <summary>Groups plus partitions tracked now.</summary>
    public int Tracked => Volatile.Read(ref _tracked);

    /// <summary>True when <c>max_series</c> groups plus partitions are tracked: new ones are refused.</summary>
    public bool IsFull => Volatile.Read(ref _tracked) >= _maxSeries;

    /// <summary>The groups now, for the writer (each must be locked while read).</summary>
    /// <returns>A snapshot of the groups.</returns>
    public GroupSeries[] Snapshot() => [.. _groups.Values];

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
                if (!TryReserve())
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

            lock (series.Gate)
            {
                // Removed between the lookup and the lock: look it up (or add it) again.
                if (series.Removed)
                {
                    continue;
                }

                Update(series, report, @event, now);
                series.Version++;
            }

            return ApplyOutcome.Applied;
        }
    }

    /// <summary>Removes groups and partitions not reported for the TTL, and refreshes the store's gauges.</summary>
    public void Sweep()
    {
        if (_ttlTicks > 0)
        {
            var now = _time.GetUtcNow().UtcTicks;
            foreach (var (_, series) in _groups)
            {
                lock (series.Gate)
                {
                    if (!series.Removed)
                    {
                        SweepGroup(series, now);
                    }
                }
            }
        }

        _metrics.TrackedGroups.Set(Volatile.Read(ref _trackedGroups));
        _metrics.TrackedPartitions.Set(Volatile.Read(ref _trackedPartitions));
    }

    private void Update(GroupSeries series, in GroupReport report, Event @event, long now)
    {
        series.LastSeenTicks = now;
        if (report.TotalLag is { } totalLag)
        {
            series.TotalLag = totalLag;
        }

        if (report.StatusCode >= 0)
        {
            series.Status = report.StatusCode;
        }

        if (report.MaxLag is { } maxLag)
        {
            series.MaxLag = maxLag;
        }

        if (report.Complete is { } complete)
        {
            series.Complete = complete;
        }

        series.LastEvent = @event.Generated.ToUnixTimeMilliseconds() / 1000.0;
        UpdateIncident(series, report);
        if (_partitions)
        {
            UpdatePartitions(series, report, @event.Details, now);
        }
    }

    private static void UpdateIncident(GroupSeries series, in GroupReport report)
    {
        if (report.IncidentState == ConsumerStatusEvent.IncidentClosed)
        {
            CloseIncident(series);
        }
        else if (report.IncidentState == ConsumerStatusEvent.IncidentOpen || report.HasIncidentId)
        {
            series.IncidentOpen = true;
            series.IncidentStart = report.IncidentStart ?? series.IncidentStart;
        }
        else if (!report.IsPolled)
        {
            // Burrow names the open incident in every notification it sends; one without an id means the incident is
            // over even if its close notification was lost (Burrow does not retry). The poller never carries incidents.
            CloseIncident(series);
        }
    }

    private static void CloseIncident(GroupSeries series)
    {
        series.IncidentOpen = false;
        series.IncidentStart = null;
    }

    private void UpdatePartitions(GroupSeries series, in GroupReport report, IReadOnlyList<EventDetail> details, long now)
    {
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
                if (!TryReserve())
                {
                    _metrics.RefusedPartitions.Inc();
                    continue;
                }

                ps = new PartitionSeries(LabelBytes.Encode(
                    ("cluster", series.Key.Cluster),
                    ("consumer_group", series.Key.Group),
                    ("topic", key.Topic),
                    ("partition", partitionNumber.ToString(CultureInfo.InvariantCulture))));
                series.Partitions.Add(key, ps);
                Interlocked.Increment(ref _trackedPartitions);
            }

            ps.LastSeenTicks = now;
            ps.LastReport = number;
            if (partition.CurrentLag is { } lag)
            {
                ps.Lag = lag;
            }

            if (partition.EndOffset is { } offset)
            {
                ps.Offset = offset;
            }

            if (partition.StatusCode >= 0)
            {
                ps.Status = partition.StatusCode;
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
            else if (!double.IsNaN(ps.Status))
            {
                ps.Status = BurrowStatus.Ok;
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

    private static void UpdateByStatus(GroupSeries series, in GroupReport report, ReadOnlySpan<int> counts, int listed)
    {
        var statuses = BurrowStatus.PartitionStatuses;
        for (var i = 0; i < statuses.Length; i++)
        {
            var code = statuses[i].Code;
            if (code != BurrowStatus.Ok || report.IsFull)
            {
                series.ByStatus[i] = counts[code];
            }
            else if (report.PartitionCount is { } total)
            {
                series.ByStatus[i] = Math.Max(0, total - (listed - counts[code]));
            }
        }
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

        series.Version++;
    }

    private void RemoveGroup(GroupSeries series)
    {
        series.Removed = true;
        var partitions = series.Partitions.Count;
        series.Partitions.Clear();
        _groups.TryRemove(KeyValuePair.Create(series.Key, series));
        Interlocked.Add(ref _trackedPartitions, -partitions);
        Interlocked.Decrement(ref _trackedGroups);
        Release(1 + partitions);
    }

    private void RemovePartition(GroupSeries series, PartitionKey key)
    {
        if (series.Partitions.Remove(key))
        {
            Interlocked.Decrement(ref _trackedPartitions);
            Release(1);
        }
    }

    private bool TryReserve()
    {
        if (Interlocked.Increment(ref _tracked) <= _maxSeries)
        {
            return true;
        }

        Interlocked.Decrement(ref _tracked);
        return false;
    }

    private void Release(int count) => Interlocked.Add(ref _tracked, -count);
}
