namespace Gordon.Core.Routing;

/// <summary>
/// Capped exponential backoff with "equal jitter": half of the delay is fixed and half random, so
/// retries of many messages that failed together spread out but never collapse to no wait at all.
/// Hand-written rather than Polly's retry strategy because the router's first attempt must stay
/// outside any pipeline (no allocation on the hot path) and each attempt writes its own history entry.
/// </summary>
internal static class RetryBackoff
{
    /// <summary>The wait before the next attempt.</summary>
    /// <param name="failedAttempts">Attempts failed so far (1 after the first failure).</param>
    /// <param name="initial">The wait after the first failure, before jitter.</param>
    /// <param name="max">The cap, before jitter.</param>
    /// <param name="jitter">A random number from 0 (inclusive) to 1 (exclusive).</param>
    /// <returns>The delay: from half to all of <c>min(initial × 2^(failedAttempts−1), max)</c>.</returns>
    public static TimeSpan Delay(int failedAttempts, TimeSpan initial, TimeSpan max, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var exponential = initial.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts - 1, 62));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        var half = capped / 2;
        return TimeSpan.FromMilliseconds(half + (half * Math.Clamp(jitter, 0, 1)));
    }
}
