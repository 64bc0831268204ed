using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Gordon.Abstractions.Collectors;
using Gordon.Abstractions.Commands;
using Gordon.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Collectors.Insights;

/// <summary>
/// <c>collectors.insights</c>: gathers analytics with the registered collectors (the built-in <c>config</c>,
/// <c>plugins</c>, <c>events_by_type</c> and <c>consumer_lag</c>, and any <c>[Collector]</c> in a loaded plugin),
/// packs them into tarballs and ships them to <c>ingress_url</c> every <c>schedule</c>; <c>gordon collect</c> runs a
/// gather by hand or as a dry run.
/// </summary>
[GordonPlugin("collectors.insights", Description = "Gathers analytics into tarballs and ships them on a schedule; gordon collect")]
public sealed partial class InsightsPlugin : IRunnable, ICommandLinePlugin, IHealthReporter, IDisposable
{
    private readonly PluginContext _context;
    private readonly InsightsSettings _settings;
    private readonly IngressShipper _shipper;
    private readonly Lazy<Gatherer> _gatherer;
    private volatile GatherResult? _lastScheduled;
    private volatile string? _lastError;

    /// <summary>Reads <c>[collectors.insights]</c>.</summary>
    /// <param name="context">What the daemon hands every plugin.</param>
    public InsightsPlugin(PluginContext context)
        : this(context, CollectorDiscovery.CandidateAssemblies, null)
    {
    }

    internal InsightsPlugin(PluginContext context, Func<IEnumerable<Assembly>> assemblies, HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(assemblies);
        _context = context;
        _settings = InsightsSettings.Read(context);
        _shipper = new IngressShipper(_settings.Shipping, context.TimeProvider, context.Logger, handler);
        // Discovery happens at the first gather: by then every plugin assembly is loaded.
        _gatherer = new Lazy<Gatherer>(() => CreateGatherer(assemblies()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <inheritdoc />
    public IReadOnlyList<PluginCommand> Commands =>
    [
        new PluginCommand
        {
            Name = "collect",
            Description = "Gathers analytics into tarballs and ships them (or, with --dry-run, only builds them)",
            Options =
            [
                new PluginCommandOption("--dry-run", "Build the tarballs and keep them; ship nothing, save no watermark", IsFlag: true),
                new PluginCommandOption("--dest", "The directory for the tarballs (default: a temporary one)"),
                new PluginCommandOption("--since", "Start of the window, ISO 8601 UTC (default: each collector's watermark)"),
                new PluginCommandOption("--until", "End of the window, ISO 8601 UTC (default: now)"),
                new PluginCommandOption("--keep", "Keep the tarballs after shipping them", IsFlag: true),
                new PluginCommandOption("--only", "Gather only this collector (name or key; config is always added); repeatable", AllowMultiple: true),
            ],
            Run = RunCollectAsync,
        },
    ];

    internal Gatherer Gatherer => _gatherer.Value;

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_settings.Schedule == TimeSpan.Zero)
        {
            Log.ScheduleOff(_context.Logger);
            await WaitAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_shipper.ConfigurationProblem is { } problem)
        {
            Log.ShippingNotConfigured(_context.Logger, problem);
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var wait = await UntilDueAsync(cancellationToken).ConfigureAwait(false);
                if (wait > TimeSpan.Zero && !await WaitAsync(wait, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var refused = await GatherOnScheduleAsync(cancellationToken).ConfigureAwait(false);
                // A refused gather records no attempt: wait a whole period rather than retry at once.
                if (refused && !await WaitAsync(_settings.Schedule, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: a gather in progress was abandoned; its tarballs are cleaned up and nothing was saved.
        }
    }

    /// <inheritdoc />
    public PluginHealth GetHealth()
    {
        if (_settings.Schedule > TimeSpan.Zero && _shipper.ConfigurationProblem is { } problem)
        {
            return PluginHealth.Unhealthy("scheduled gathers cannot ship: " + problem);
        }

        if (_lastError is { } error)
        {
            return PluginHealth.Degraded("the last scheduled gather failed: " + error);
        }

        return _lastScheduled switch
        {
            { Degraded: true } last => PluginHealth.Degraded(
                $"the last scheduled gather had failures: {last.ShipFailures} tarballs not shipped, {last.FailedCollections} collections failed{(last.ConfigFailed ? ", config failed" : string.Empty)}"),
            { Status: not GatherStatus.Completed } last => PluginHealth.Degraded("the last scheduled gather did not run: " + last.Message),
            _ => PluginHealth.Healthy,
        };
    }

    /// <inheritdoc />
    public void Dispose() => _shipper.Dispose();

    private Gatherer CreateGatherer(IEnumerable<Assembly> assemblies)
    {
        var problems = new List<string>();
        var collectors = CollectorDiscovery.Discover(assemblies, problems);
        foreach (var problem in problems)
        {
            Log.DiscoveryProblem(_context.Logger, problem);
        }

        var state = Path.Combine(_context.StateDirectory, "collectors");
        return new Gatherer(
            _settings.Gatherer,
            collectors,
            new GatherStateStore(Path.Combine(state, "insights-state.json")),
            _settings.Lock == InsightsSettings.GatherLockKind.Store
                ? new StoreAdvisoryLock(Stores.DatabaseUrl.Parse(_settings.Gatherer.StoreUrl!, _context.ConfigRoot, out _)!)
                : new GatherLock(Path.Combine(state, "insights.lock")),
            _shipper,
            _context.TimeProvider,
            _context.Logger,
            _context.Daemon);
    }

    private IReadOnlyCollection<string>? Subset(IReadOnlyList<string> only)
    {
        var names = only.Count > 0 ? only : _settings.Collectors;
        if (names.Count == 0)
        {
            return null;
        }

        // The config collector rides along with any subset: a gather without it ships nothing.
        return [.. names, .. Gatherer.Collectors.Where(c => c.IsConfig).Select(c => c.Name)];
    }

    private async Task<TimeSpan> UntilDueAsync(CancellationToken cancellationToken)
    {
        try
        {
            var state = await Gatherer.State.LoadAsync(cancellationToken).ConfigureAwait(false);
            var now = _context.TimeProvider.GetUtcNow();
            return state.LastAttempt is { } last && last + _settings.Schedule > now ? last + _settings.Schedule - now : TimeSpan.Zero;
        }
        catch (InvalidDataException)
        {
            // The gather itself reports the unreadable file.
            return TimeSpan.Zero;
        }
    }

    private async Task<bool> GatherOnScheduleAsync(CancellationToken cancellationToken)
    {
        var started = _context.TimeProvider.GetTimestamp();
        try
        {
            var result = await Gatherer.GatherAsync(new GatherRequest(CollectionMode.Scheduled, Subset: Subset([])), cancellationToken).ConfigureAwait(false);
            _lastScheduled = result;
            _lastError = null;
            Record(result, _context.TimeProvider.GetElapsedTime(started));
            return result.Status != GatherStatus.Completed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            _lastError = e.Message;
            Log.GatherCrashed(_context.Logger, e);
            return true;
        }
    }

    private void Record(GatherResult result, TimeSpan elapsed)
    {
        var outcome = result.Status switch
        {
            GatherStatus.Completed => result.Degraded ? "degraded" : "ok",
            _ => OutcomeName(result.Status),
        };
        _context.Metrics.Increment("collectors-insights-gathers", 1, new TagList { { "outcome", outcome } });
        _context.Metrics.Increment("collectors-insights-tarballs-shipped", result.Shipped, default);
        _context.Metrics.Increment("collectors-insights-tarballs-failed", result.ShipFailures, default);
        _context.Metrics.Record("collectors-insights-gather-duration", elapsed.TotalSeconds, default);
    }

    private static string OutcomeName(GatherStatus status) => status switch
    {
        GatherStatus.NotEnabled => "not_enabled",
        GatherStatus.Locked => "locked",
        GatherStatus.ConfigMissing => "config_missing",
        GatherStatus.InvalidWindow => "invalid_window",
        _ => "state_unreadable",
    };

    private async Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _context.TimeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<int> RunCollectAsync(PluginCommandInvocation invocation, CancellationToken cancellationToken)
    {
        if (!TryParseTime(invocation, "--since", out var since) || !TryParseTime(invocation, "--until", out var until))
        {
            return 2;
        }

        var unknown = invocation.GetOptions("--only").Where(name => !Gatherer.Collectors.Any(c => c.Name == name || c.Key == name)).ToList();
        if (unknown.Count > 0)
        {
            var known = string.Join(", ", Gatherer.Collectors.Select(c => c.Key).Distinct().Order(StringComparer.Ordinal));
            await invocation.Error.WriteLineAsync($"collect: no collector named {string.Join(", ", unknown.Select(u => "'" + u + "'"))} (known keys: {known})").ConfigureAwait(false);
            return 2;
        }

        var dryRun = invocation.HasOption("--dry-run");
        var request = new GatherRequest(
            dryRun ? CollectionMode.DryRun : CollectionMode.Manual,
            invocation.GetOption("--dest") is { } dest ? Path.GetFullPath(dest) : null,
            since,
            until,
            Subset(invocation.GetOptions("--only")),
            invocation.HasOption("--keep"));
        var result = await Gatherer.GatherAsync(request, cancellationToken).ConfigureAwait(false);
        foreach (var note in result.Notes)
        {
            await invocation.Error.WriteLineAsync("note: " + note).ConfigureAwait(false);
        }

        switch (result.Status)
        {
            case GatherStatus.Completed:
                break;
            case GatherStatus.NotEnabled:
                await invocation.Error.WriteLineAsync($"collect: {result.Message}; set it in [collectors.insights], or use --dry-run").ConfigureAwait(false);
                return 78;
            case GatherStatus.Locked:
                await invocation.Error.WriteLineAsync("collect: " + result.Message).ConfigureAwait(false);
                return 69;
            case GatherStatus.InvalidWindow:
                await invocation.Error.WriteLineAsync("collect: " + result.Message).ConfigureAwait(false);
                return 2;
            default:
                await invocation.Error.WriteLineAsync("collect: " + result.Message).ConfigureAwait(false);
                return 1;
        }

        foreach (var tarball in result.Tarballs)
        {
            await invocation.Output.WriteLineAsync(result.TarballsKept ? tarball : Path.GetFileName(tarball)).ConfigureAwait(false);
        }

        var summary = dryRun
            ? $"dry run: {result.Tarballs.Count} tarballs built, nothing shipped or saved"
            : $"{result.Tarballs.Count} tarballs built, {result.Shipped} shipped, {result.ShipFailures} not shipped";
        if (result.FailedCollections > 0 || result.ConfigFailed)
        {
            summary += $"; {result.FailedCollections} collections failed{(result.ConfigFailed ? ", config failed" : string.Empty)} (see the log)";
        }

        await invocation.Output.WriteLineAsync(summary).ConfigureAwait(false);
        return result.Degraded ? 1 : 0;
    }

    private static bool TryParseTime(PluginCommandInvocation invocation, string option, out DateTimeOffset? time)
    {
        time = null;
        if (invocation.GetOption(option) is not { } text)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        invocation.Error.WriteLine($"collect: {option} '{text}' is not a time: use ISO 8601, e.g. 2024-03-01 or 2024-03-01T12:00:00Z");
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 11130, Level = LogLevel.Information, Message = "collectors.insights: schedule is 0s, gathers run only with gordon collect")]
        public static partial void ScheduleOff(ILogger logger);

        [LoggerMessage(EventId = 11131, Level = LogLevel.Error, Message = "collectors.insights: scheduled gathers cannot ship: {Problem}")]
        public static partial void ShippingNotConfigured(ILogger logger, string problem);

        [LoggerMessage(EventId = 11132, Level = LogLevel.Warning, Message = "collectors.insights: {Problem}")]
        public static partial void DiscoveryProblem(ILogger logger, string problem);

        [LoggerMessage(EventId = 11133, Level = LogLevel.Error, Message = "collectors.insights: the scheduled gather failed")]
        public static partial void GatherCrashed(ILogger logger, Exception exception);
    }
}
