namespace Gordon.Plugins.CloudWatch.Sending;

/// <summary>Exponential backoff with "equal jitter": half the step fixed, half random, so retries spread out but never bunch at zero.</summary>
internal static class Backoff
{
    /// <summary>The wait before retry number <paramref name="attempt"/> (1 = after the first failure).</summary>
    /// <param name="attempt">The failed attempt, from 1.</param>
    /// <param name="initial">The first step.</param>
    /// <param name="max">The cap.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, double random)
    {
        var step = initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(step, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * random));
    }
}
