using System.Collections.Concurrent;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;

namespace Gordon.Plugins.Burrow.Enrich;

/// <summary>
/// Computes the enrichment of one report from the group's history: lag delta, lag rate and catch-up time for the
/// group, and per-topic totals (with their own deltas and rates) for reports that list every partition.
/// </summary>
internal sealed class LagEnricher
{
    private readonly EnrichSettings _settings;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Cluster, string Group), GroupHistory> _groups = new();
    private long _lastSweepTicks;

    public LagEnricher(EnrichSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _lastSweepTicks = time.GetUtcNow().UtcTicks;
    }

    /// <summary>Groups remembered now.</summary>
    public int GroupCount => _groups.Count;

    /// <summary>
    /// Records the report in its group's history and returns what to add to it, or null when there is nothing to add
    /// (not a group report with a total lag).
    /// </summary>
    public Enrichment? Enrich(Event report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.EventType != ConsumerStatusEvent.EventType
            || !report.TryGetTrait(ConsumerStatusTraits.Group, out var group) || group.Type != TraitType.String
            || !report.TryGetTrait(ConsumerStatusTraits.TotalLag, out var totalLag) || totalLag.Type != TraitType.Integer)
        {
            return null;
        }

        var cluster = report.TryGetTrait(ConsumerStatusTraits.Cluster, out var c) && c.Type == TraitType.String ? c.StringValue : string.Empty;
        var full = report.TryGetTrait(ConsumerStatusTraits.Report, out var kind) && kind.Type == TraitType.String
            && kind.StringValue == ConsumerStatusEvent.FullReport;
        var current = new LagSnapshot(report.MessageId, report.Generated, totalLag.IntegerValue, full ? TopicTotals(report) : null);

        SweepIfDue();
        var history = _groups.TryGetValue((cluster, group.StringValue), out var known) ? known
            : _groups.Count < _settings.MaxGroups ? _groups.GetOrAdd((cluster, group.StringValue), static _ => new GroupHistory())
            : null;
        var (previous, previousFull) = history?.Record(current) ?? (null, null);

        var added = new List<Trait>(4);
        AddRates(added, current.TotalLag, current.At, Usable(previous, current.At), withDelta: true);
        var topics = current.TopicLags is { } lags ? TopicDetails(lags, current.At, Usable(previousFull, current.At)) : [];
        return added.Count == 0 && topics.Count == 0 ? null : new Enrichment(added, topics);
    }

    // A previous report that is too close (noise) or too old (stale) gives no rate.
    private LagSnapshot? Usable(LagSnapshot? previous, DateTimeOffset now)
    {
        if (previous is null)
        {
            return null;
        }

        var elapsed = now - previous.At;
        return elapsed >= _settings.MinInterval && elapsed > TimeSpan.Zero && elapsed <= _settings.StateTtl ? previous : null;
    }

    private static void AddRates(List<Trait> traits, long lag, DateTimeOffset at, LagSnapshot? previous, bool withDelta, long? previousLag = null)
    {
        if (previous is null)
        {
            if (lag == 0)
            {
                traits.Add(Trait.Float(EnrichedTraits.CatchUpSeconds, 0));
            }

            return;
        }

        var before = previousLag ?? previous.TotalLag;
        var seconds = (at - previous.At).TotalSeconds;
        var delta = lag - before;
        var rate = delta / seconds;
        traits.Add(Trait.Integer(EnrichedTraits.TotalLagDelta, delta));
        if (withDelta)
        {
            traits.Add(Trait.Float(EnrichedTraits.DeltaSeconds, seconds));
        }

        traits.Add(Trait.Float(EnrichedTraits.LagRate, rate));
        if (lag == 0)
        {
            traits.Add(Trait.Float(EnrichedTraits.CatchUpSeconds, 0));
        }
        else if (rate < 0)
        {
            traits.Add(Trait.Float(EnrichedTraits.CatchUpSeconds, lag / -rate));
        }
    }

    private static List<EventDetail> TopicDetails(IReadOnlyDictionary<string, TopicLag> lags, DateTimeOffset at, LagSnapshot? previousFull)
    {
        var details = new List<EventDetail>(lags.Count);
        foreach (var (topic, total) in lags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var traits = new List<Trait>(6)
            {
                Trait.String(EnrichedTraits.Topic, topic),
                Trait.Integer(EnrichedTraits.TopicLag, total.Lag),
                Trait.Integer(EnrichedTraits.TopicPartitions, total.Partitions),
            };
            var before = previousFull?.TopicLags is { } earlier && earlier.TryGetValue(topic, out var e) ? e.Lag : (long?)null;
            AddRates(traits, total.Lag, at, before is null ? null : previousFull, withDelta: false, before);
            details.Add(new EventDetail(EnrichedTraits.TopicDetailKind, traits.ToArray()));
        }

        return details;
    }

    private static Dictionary<string, TopicLag> TopicTotals(Event report)
    {
        var totals = new Dictionary<string, TopicLag>(StringComparer.Ordinal);
        foreach (var detail in report.Details)
        {
            if (detail.Kind == ConsumerStatusEvent.PartitionDetailKind
                && detail.TryGetTrait(PartitionTraits.Topic, out var topic) && topic.Type == TraitType.String)
            {
                var lag = detail.TryGetTrait(PartitionTraits.CurrentLag, out var l) && l.Type == TraitType.Integer ? l.IntegerValue : 0;
                totals[topic.StringValue] = totals.TryGetValue(topic.StringValue, out var sum)
                    ? new TopicLag(sum.Lag + lag, sum.Partitions + 1)
                    : new TopicLag(lag, 1);
            }
        }

        return totals;
    }

    private void SweepIfDue()
    {
        var now = _time.GetUtcNow();
        var last = Interlocked.Read(ref _lastSweepTicks);
        var due = now.UtcTicks - last >= _settings.StateTtl.Ticks || _groups.Count >= _settings.MaxGroups;
        if (!due || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        foreach (var (key, history) in _groups)
        {
            if (now - history.LastSeen > _settings.StateTtl)
            {
                _groups.TryRemove(key, out _);
            }
        }
    }
}
