using System.Collections.Frozen;
using Gordon.Abstractions.Configuration;

namespace Gordon.Core.Routing;

/// <summary>The router's settings, from <c>[core.router]</c>.</summary>
internal sealed record RouterOptions
{
    /// <summary>The upper bound of the <c>concurrency</c> values: more workers than this only add contention.</summary>
    public const int MaxWorkers = 256;

    /// <summary>The settings when <c>[core.router]</c> is empty.</summary>
    public static RouterOptions Default { get; } = new();

    /// <summary>Messages each phase's channel holds before producers wait. Default 1024.</summary>
    public int Capacity { get; init; } = 1024;

    /// <summary>How long <c>EmitAsync</c> waits for room before it fails. Default 5 s.</summary>
    public TimeSpan EnqueueTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How the handlers of one phase run. Default parallel.</summary>
    public FanoutMode Fanout { get; init; } = FanoutMode.Parallel;

    /// <summary>Attempts per handler and message before the dead letters (1 = no retry). Default 5.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The backoff before the first retry; it doubles each attempt. Default 100 ms.</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest backoff. Default 30 s.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a drain may take before what is left goes to the dead letters. Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>History entries kept per message (the first and the latest). Default 64.</summary>
    public int HistoryLimit { get; init; } = 64;

    /// <summary>Workers per phase; a phase not named has one worker, which keeps order.</summary>
    public IReadOnlyDictionary<string, int> Concurrency { get; init; } = FrozenDictionary<string, int>.Empty;

    /// <summary>The worker count of a phase.</summary>
    /// <param name="phase">The phase.</param>
    /// <returns>The configured count, or 1.</returns>
    public int WorkersFor(string phase) => Concurrency.TryGetValue(phase, out var workers) ? workers : 1;

    /// <summary>
    /// How many messages a handler is given at once when <c>[core.router.concurrency]</c> names it (a store that
    /// batches what arrives together wants many; Prometheus keeps order with one); null when it follows its phase.
    /// </summary>
    /// <param name="pluginName">The handler's plugin name.</param>
    /// <returns>The configured count, or null.</returns>
    public int? WorkersForHandler(string pluginName) => Concurrency.TryGetValue(pluginName, out var workers) ? workers : null;

    /// <summary>
    /// Reads <c>[core.router]</c>. Invalid values are recorded as problems on the section (with the
    /// default used in their place), so one pass reports every error.
    /// </summary>
    /// <param name="routerSection">The <c>[core.router]</c> section.</param>
    /// <returns>The options.</returns>
    public static RouterOptions Read(ConfigSection routerSection)
    {
        ArgumentNullException.ThrowIfNull(routerSection);
        var d = Default;
        var backoffInitial = routerSection.GetDuration("backoff_initial", d.BackoffInitial);
        var backoffMax = routerSection.GetDuration("backoff_max", d.BackoffMax);
        if (backoffMax < backoffInitial)
        {
            routerSection.AddProblem(
                "backoff_max",
                $"must be at least backoff_initial ({ConfigParsers.FormatDuration(backoffInitial)}), got {ConfigParsers.FormatDuration(backoffMax)}");
            backoffMax = backoffInitial;
        }

        var concurrencySection = routerSection.GetSection("concurrency");
        var concurrency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var phase in concurrencySection.Table.Keys)
        {
            concurrency[phase] = concurrencySection.GetInt32(phase, 1, 1, MaxWorkers);
        }

        return new RouterOptions
        {
            Capacity = routerSection.GetInt32("capacity", d.Capacity, 1, 1 << 24),
            EnqueueTimeout = routerSection.GetDuration("enqueue_timeout", d.EnqueueTimeout),
            Fanout = routerSection.GetEnum("fanout", d.Fanout),
            MaxAttempts = routerSection.GetInt32("max_attempts", d.MaxAttempts, 1, 100),
            BackoffInitial = backoffInitial,
            BackoffMax = backoffMax,
            DrainTimeout = routerSection.GetDuration("drain_timeout", d.DrainTimeout),

            // Two at least: the first entry and the latest one are always kept.
            HistoryLimit = routerSection.GetInt32("history_limit", d.HistoryLimit, 2, 100_000),
            Concurrency = concurrency.ToFrozenDictionary(StringComparer.Ordinal),
        };
    }
}
