namespace Gordon.Plugins.Burrow.Enrich;

/// <summary>
/// The last reports of one consumer group: the latest, the one before it (to recompute a replayed latest), and the
/// latest that listed every partition (per-topic totals only compare like with like).
/// </summary>
internal sealed class GroupHistory
{
    private readonly Lock _lock = new();
    private LagSnapshot? _latest;
    private LagSnapshot? _beforeLatest;
    private LagSnapshot? _latestFull;
    private LagSnapshot? _beforeLatestFull;

    public DateTimeOffset LastSeen
    {
        get
        {
            lock (_lock)
            {
                return _latest?.At ?? DateTimeOffset.MinValue;
            }
        }
    }

    /// <summary>
    /// Records <paramref name="current"/> and returns what it is compared with: the previous report, and the previous
    /// full report. A report seen before (a retry or replay) is compared with what preceded it and changes nothing;
    /// an older report than the latest (out of order) is compared with nothing.
    /// </summary>
    public (LagSnapshot? Previous, LagSnapshot? PreviousFull) Record(LagSnapshot current)
    {
        lock (_lock)
        {
            if (_latest is { } latest && latest.MessageId == current.MessageId)
            {
                return (_beforeLatest, current.TopicLags is null ? null : _beforeLatestFull);
            }

            if (_latest is { } newer && current.At < newer.At)
            {
                return (null, null);
            }

            var previous = _latest;
            var previousFull = _latestFull;
            (_beforeLatest, _latest) = (_latest, current);
            if (current.TopicLags is not null)
            {
                (_beforeLatestFull, _latestFull) = (_latestFull, current);
            }

            return (previous, current.TopicLags is null ? null : previousFull);
        }
    }
}
