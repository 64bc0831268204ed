namespace Gordon.Plugins.Collectors.Insights;

/// <summary>
/// The time window of one gather, by the original's rules: ends in the future are clamped to now; a window longer
/// than the horizon (28 days) is cut; a start older than the horizon is raised to it; a start at or after the end is
/// an error.
/// </summary>
/// <param name="Since">The start the caller asked for (after clamping), or null for an incremental gather.</param>
/// <param name="Until">The end of the window.</param>
/// <param name="Horizon">Until minus 28 days: nothing older is ever gathered.</param>
/// <param name="LastGather">The last complete gather, raised to the horizon (the horizon when there was none).</param>
internal sealed record GatherWindow(DateTimeOffset? Since, DateTimeOffset Until, DateTimeOffset Horizon, DateTimeOffset LastGather)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(28);

    /// <summary>Computes the window.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="since">The requested start, if any.</param>
    /// <param name="until">The requested end, if any.</param>
    /// <param name="lastGather">The persisted last complete gather, if any.</param>
    /// <param name="notes">Receives a line for each adjustment made.</param>
    /// <param name="error">Why there is no window.</param>
    /// <returns>The window, or null when since is not before until.</returns>
    public static GatherWindow? Calculate(
        DateTimeOffset now,
        DateTimeOffset? since,
        DateTimeOffset? until,
        DateTimeOffset? lastGather,
        ICollection<string> notes,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(notes);
        error = null;
        if (until > now)
        {
            notes.Add($"until {Text(until.Value)} is in the future: using now ({Text(now)})");
            until = now;
        }

        if (since > now)
        {
            notes.Add($"since {Text(since.Value)} is in the future: using now ({Text(now)})");
            since = now;
        }

        DateTimeOffset end;
        if (since is { } start)
        {
            var longest = start + MaxAge;
            if (until is null)
            {
                end = longest < now ? longest : now;
            }
            else if (until > longest)
            {
                notes.Add($"the window {Text(start)} to {Text(until.Value)} is longer than 28 days: it ends at {Text(longest)}");
                end = longest;
            }
            else
            {
                end = until.Value;
            }

            if (start >= end)
            {
                error = $"since ({Text(start)}) must be before until ({Text(end)})";
                return null;
            }
        }
        else
        {
            end = until ?? now;
        }

        var horizon = end - MaxAge;
        if (since < horizon)
        {
            notes.Add($"since {Text(since.Value)} is older than 28 days before until: using {Text(horizon)}");
            since = horizon;
        }

        var last = lastGather is { } previous && previous > horizon ? previous : horizon;
        return new GatherWindow(since, end, horizon, last);
    }

    /// <summary>The start of a collection without slicing: the requested start, or the key's watermark.</summary>
    public DateTimeOffset SinceFor(DateTimeOffset? watermark)
    {
        if (Since is { } since)
        {
            return since;
        }

        var start = watermark ?? LastGather;
        return start > Horizon ? start : Horizon;
    }

    private static string Text(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
