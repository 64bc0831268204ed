namespace Gordon.Plugins.Collectors.Http;

/// <summary>Capped exponential backoff: first, 2×first, 4×first, … never more than <see cref="Max"/>.</summary>
internal readonly record struct Backoff(TimeSpan First, TimeSpan Max)
{
    public TimeSpan Delay(int attempt)
    {
        if (First <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var factor = Math.Pow(2, Math.Min(attempt, 30));
        var ticks = Math.Min(First.Ticks * factor, Max.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
