using System.Reflection;
using Gordon.Abstractions.Collectors;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Collectors.Insights;
using Gordon.Plugins.Collectors.Interval.Probes;
using Gordon.Plugins.Collectors.Interval.Sources;
using Gordon.Plugins.Collectors.Stores;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Collectors.Interval;

/// <summary>
/// <c>collectors.interval</c>: runs probe jobs on interval grids and emits each result as a <c>collector.&lt;probe&gt;</c>
/// event. Jobs come from <c>[[collectors.interval.jobs]]</c>, from <c>jobs_url</c> and from a Grafolean backend, re-read
/// every <c>jobs_refresh_interval</c>.
/// </summary>
[GordonPlugin("collectors.interval", Description = "Runs http/tcp/command/sql probe jobs on interval grids and emits their values")]
public sealed partial class IntervalPlugin : IRunnable, IHealthReporter, IAsyncDisposable
{
    private readonly PluginContext _context;
    private readonly Func<IEnumerable<Assembly>> _assemblies;
    private readonly TimeSpan _refreshInterval;
    private readonly ProbeRegistry _probes;
    private readonly HttpClient _sourceClient;
    private readonly JobScheduler _scheduler;
    private readonly JobRefresher _refresher;
    private int _discovered;

    /// <summary>Reads <c>[collectors.interval]</c>.</summary>
    /// <param name="context">What the daemon hands every plugin.</param>
    public IntervalPlugin(PluginContext context)
        : this(context, CollectorDiscovery.CandidateAssemblies, null)
    {
    }

    internal IntervalPlugin(PluginContext context, Func<IEnumerable<Assembly>> assemblies, IReadOnlyDictionary<string, ICollectorProbe>? extraProbes)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _assemblies = assemblies ?? throw new ArgumentNullException(nameof(assemblies));
        var config = context.Config;
        var storeUrl = StoreUrl.Read(config, context);
        _refreshInterval = config.GetDuration("jobs_refresh_interval", TimeSpan.FromMinutes(2), min: TimeSpan.FromSeconds(1));
        var options = new SchedulerOptions
        {
            MaxConcurrency = config.GetInt32("max_concurrency", 10, 1, 10_000),
            MisfireGrace = config.GetDuration("misfire_grace", TimeSpan.FromSeconds(10)),
            RunTimeout = config.GetDuration("run_timeout", TimeSpan.FromMinutes(1), min: TimeSpan.FromMilliseconds(100)),
        };
        var remoteProbes = new HashSet<string>(config.GetStringList("remote_probes", ["http", "tcp"]), StringComparer.Ordinal);
        var sourceTimeout = config.GetDuration("jobs_timeout", TimeSpan.FromSeconds(30), min: TimeSpan.FromSeconds(1));
        var configJobs = JobParser.FromConfig(config);

        var builtIn = new Dictionary<string, ICollectorProbe>(StringComparer.Ordinal)
        {
            ["http"] = new HttpProbe(),
            ["tcp"] = new TcpProbe(),
            ["command"] = new CommandProbe(),
            ["sql"] = new SqlProbe(storeUrl, context.ConfigRoot),
        };
        foreach (var (name, probe) in extraProbes ?? new Dictionary<string, ICollectorProbe>())
        {
            builtIn[name] = probe;
        }

        _probes = new ProbeRegistry(builtIn);
        _sourceClient = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var sources = new List<IJobSource>();
        if (config.GetUri("jobs_url", null, "http", "https") is { } jobsUrl)
        {
            sources.Add(new HttpJobSource(_sourceClient, jobsUrl, config.GetOptionalString("jobs_token"), sourceTimeout, context.TimeProvider));
        }

        if (GrafoleanSource(config.GetSection("grafolean"), context, sourceTimeout) is { } grafolean)
        {
            sources.Add(grafolean);
        }

        _scheduler = new JobScheduler(_probes, context.Sink, context.TimeProvider, context.Logger, context.Metrics, options);
        _refresher = new JobRefresher(configJobs, sources, _probes, remoteProbes, _scheduler, context.Logger, context.Metrics);
    }

    internal JobScheduler Scheduler => _scheduler;

    internal JobRefresher Refresher => _refresher;

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        DiscoverProbes();
        var scheduling = _scheduler.RunAsync(cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await _refresher.RefreshAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(_refreshInterval, _context.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the scheduler finishes the runs in progress below.
        }

        await scheduling.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public PluginHealth GetHealth()
    {
        var problems = new List<string>();
        if (_refresher.FailedSources.Count > 0)
        {
            problems.Add("job sources failing: " + string.Join(", ", _refresher.FailedSources));
        }

        if (_refresher.Rejected.Count > 0)
        {
            problems.Add($"{_refresher.Rejected.Count} jobs rejected, e.g. {_refresher.Rejected[0]}");
        }

        return problems.Count == 0 ? PluginHealth.Healthy : PluginHealth.Degraded(string.Join("; ", problems));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _scheduler.Dispose();
        _sourceClient.Dispose();
        await _probes.DisposeAsync().ConfigureAwait(false);
    }

    private void DiscoverProbes()
    {
        // Once: by the time the runnable starts, every plugin assembly is loaded.
        if (Interlocked.Exchange(ref _discovered, 1) == 1)
        {
            return;
        }

        var problems = new List<string>();
        _probes.Discover(_assemblies(), problems);
        foreach (var problem in problems)
        {
            Log.DiscoveryProblem(_context.Logger, problem);
        }
    }

    private GrafoleanJobSource? GrafoleanSource(Gordon.Abstractions.Configuration.ConfigSection section, PluginContext context, TimeSpan timeout)
    {
        if (section.GetUri("url", null, "http", "https") is not { } url)
        {
            foreach (var key in new[] { "token", "token_file", "protocol", "probe" })
            {
                if (section.Contains(key))
                {
                    section.AddProblem(key, "needs url (the Grafolean backend's API, e.g. https://grafolean.example/api)");
                    section.MarkUsed(key);
                }
            }

            return null;
        }

        var token = section.GetOptionalString("token");
        if (section.GetOptionalString("token_file") is { } file)
        {
            var path = Path.GetFullPath(file, context.ConfigRoot);
            try
            {
                // Trimmed: a token file ends with a newline far more often than a token does (the bots did not trim).
                token = File.ReadAllText(path).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                section.AddProblem("token_file", $"cannot read {path}: {e.Message}");
            }
        }

        var protocol = section.RequireString("protocol");
        var probe = section.GetString("probe", protocol);
        if (string.IsNullOrEmpty(token))
        {
            section.AddProblem("token", "is required with url: the bot token (or token_file)");
            return null;
        }

        var baseUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        return new GrafoleanJobSource(_sourceClient, baseUrl, token, protocol, probe, timeout, context.TimeProvider);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 11220, Level = LogLevel.Warning, Message = "collectors.interval: {Problem}")]
        public static partial void DiscoveryProblem(ILogger logger, string problem);
    }
}
