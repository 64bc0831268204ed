using System.Diagnostics;
using Gordon.Abstractions.Metrics;
using Gordon.Plugins.Collectors.Interval.Sources;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Collectors.Interval;

/// <summary>
/// Builds the wanted job set from the config jobs and every remote source, and hands it to the scheduler. A source
/// that cannot be read keeps its last good jobs (a failing source removes nothing). A job that cannot run (bad
/// intervals, unknown probe, bad params, a probe remote jobs may not use, a duplicate id) is rejected alone, with its
/// reason, and tried again at the next refresh; if an earlier version of it is scheduled, that version keeps running.
/// </summary>
internal sealed partial class JobRefresher(
    IReadOnlyList<JobDefinition> configJobs,
    IReadOnlyList<IJobSource> sources,
    ProbeRegistry probes,
    IReadOnlySet<string> remoteProbes,
    JobScheduler scheduler,
    ILogger logger,
    IMetricRelay metrics)
{
    private readonly Dictionary<string, IReadOnlyList<JobDefinition>> _lastGood = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<string> _rejected = [];
    private volatile IReadOnlyList<string> _failedSources = [];

    /// <summary>Each rejected job with its reason, from the last refresh.</summary>
    public IReadOnlyList<string> Rejected => _rejected;

    /// <summary>The sources the last refresh could not read.</summary>
    public IReadOnlyList<string> FailedSources => _failedSources;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var rejected = new List<string>();
        var failed = new List<string>();
        var candidates = new List<JobDefinition>(configJobs);
        foreach (var source in sources)
        {
            try
            {
                var result = await source.FetchAsync(cancellationToken).ConfigureAwait(false);
                _lastGood[source.Name] = result.Jobs;
                rejected.AddRange(result.Rejected.Select(r => $"{source.Name} job '{r.Id}': {r.Reason}"));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed.Add(source.Name);
                Log.SourceFailed(logger, source.Name, e.Message, _lastGood.TryGetValue(source.Name, out var kept) ? kept.Count : 0);
            }

            candidates.AddRange(_lastGood.GetValueOrDefault(source.Name) ?? []);
        }

        var current = scheduler.Jobs;
        var wanted = new List<JobDefinition>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var job in candidates)
        {
            if (ids.TryGetValue(job.Id, out var owner))
            {
                rejected.Add($"{job.Source} job '{job.Id}': the id is already used by a job from {owner}");
                continue;
            }

            if (Problem(job) is { } problem)
            {
                rejected.Add($"{job.Source} job '{job.Id}': {problem}");
                if (current.TryGetValue(job.Id, out var running))
                {
                    wanted.Add(running.Definition);
                    ids[job.Id] = running.Definition.Source;
                }

                continue;
            }

            ids[job.Id] = job.Source;
            wanted.Add(job);
        }

        foreach (var reason in rejected)
        {
            Log.Rejected(logger, reason);
        }

        var (added, replaced, removed) = scheduler.Apply(wanted);
        if (added + replaced + removed > 0)
        {
            Log.Refreshed(logger, wanted.Count, added, replaced, removed);
        }

        _rejected = rejected;
        _failedSources = failed;
        metrics.Set("collectors-interval-rejected-jobs", rejected.Count, default);
        metrics.Increment("collectors-interval-refreshes", 1, new TagList { { "outcome", failed.Count == 0 ? "ok" : "source_failed" } });
    }

    private string? Problem(JobDefinition job)
    {
        if (!probes.TryGet(job.Probe, out var probe))
        {
            return $"unknown probe '{job.Probe}' (known: {string.Join(", ", probes.Names.Order(StringComparer.Ordinal))})";
        }

        if (job.IsRemote && !remoteProbes.Contains(job.Probe))
        {
            return $"probe '{job.Probe}' is not allowed for remote jobs (remote_probes)";
        }

        try
        {
            return probe.ValidateParameters(job.Parameters);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return "its params cannot be read: " + e.Message;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 11210, Level = LogLevel.Warning, Message = "Job source {Source} failed ({Error}); its {Kept} jobs from the last good read stay")]
        public static partial void SourceFailed(ILogger logger, string source, string error, int kept);

        [LoggerMessage(EventId = 11211, Level = LogLevel.Error, Message = "Rejected {Reason}")]
        public static partial void Rejected(ILogger logger, string reason);

        [LoggerMessage(EventId = 11212, Level = LogLevel.Information, Message = "Jobs refreshed: {Count} scheduled ({Added} added, {Replaced} rescheduled, {Removed} removed)")]
        public static partial void Refreshed(ILogger logger, int count, int added, int replaced, int removed);
    }
}
