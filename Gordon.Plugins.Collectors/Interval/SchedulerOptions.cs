namespace Gordon.Plugins.Collectors.Interval;

/// <summary>How jobs run.</summary>
internal sealed class SchedulerOptions
{
    /// <summary>Runs at the same time, over all jobs; more wait for a slot.</summary>
    public int MaxConcurrency { get; init; } = 10;

    /// <summary>A fire found later than this (a stalled process, a suspended machine) is counted as missed, not run.</summary>
    public TimeSpan MisfireGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A run still going after this is cancelled and counted as timed out.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(1);
}
