namespace Gordon.Plugins.Collectors.Interval;

/// <summary>
/// Fires on the union of the grids <c>start + k·interval</c> of several intervals, once where grids meet, and says
/// which intervals each fire belongs to: with 20 s and 30 s a job fires at +20 [20], +30 [30], +40 [20], +60 [20, 30].
/// </summary>
internal sealed class MultipleIntervalsTrigger
{
    private readonly long[] _intervals;

    public MultipleIntervalsTrigger(DateTimeOffset start, IReadOnlyList<TimeSpan> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        if (intervals.Count == 0 || intervals.Any(i => i <= TimeSpan.Zero))
        {
            throw new ArgumentException("At least one positive interval must be specified.", nameof(intervals));
        }

        Start = start;
        _intervals = [.. intervals.Select(i => i.Ticks).Distinct().Order()];
    }

    public DateTimeOffset Start { get; }

    /// <summary>The first fire strictly after <paramref name="after"/>, with the intervals that land on it.</summary>
    public (DateTimeOffset Time, IReadOnlyList<TimeSpan> Affecting) NextAfter(DateTimeOffset after)
    {
        var elapsed = (after - Start).Ticks;
        var best = long.MaxValue;
        foreach (var interval in _intervals)
        {
            var candidate = elapsed < 0 ? interval : (elapsed / interval + 1) * interval;
            best = Math.Min(best, candidate);
        }

        return (Start + TimeSpan.FromTicks(best), Affected(best));
    }

    /// <summary>
    /// The last fire at or before <paramref name="now"/>, with every interval that fired in
    /// [<paramref name="since"/>, now]: the set a coalesced run of missed fires is told.
    /// </summary>
    public (DateTimeOffset Time, IReadOnlyList<TimeSpan> Affecting) LatestAtOrBefore(DateTimeOffset now, DateTimeOffset since)
    {
        var elapsed = (now - Start).Ticks;
        var latest = long.MinValue;
        var fired = new List<TimeSpan>();
        foreach (var interval in _intervals)
        {
            var point = elapsed / interval * interval;
            latest = Math.Max(latest, point);
            if (Start + TimeSpan.FromTicks(point) >= since)
            {
                fired.Add(TimeSpan.FromTicks(interval));
            }
        }

        return (Start + TimeSpan.FromTicks(latest), fired);
    }

    private List<TimeSpan> Affected(long offset) =>
        [.. _intervals.Where(i => offset % i == 0).Select(TimeSpan.FromTicks)];
}
