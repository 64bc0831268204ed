using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Metrics;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Burrow.Parsing;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Burrow.Poller;

/// <summary>
/// One poll of Burrow: <c>/v3/kafka</c> → <c>/v3/kafka/{c}/consumer</c> → <c>/v3/kafka/{c}/consumer/{g}/lag</c> for
/// every cluster and group that passes the filters, with bounded concurrency, emitting one full report per group.
/// Nothing here is fatal: an unreachable Burrow, a vanished cluster or a failing group is logged, counted and shown
/// in the plugin's health, and the next poll starts afresh.
/// </summary>
internal sealed partial class BurrowPoller
{
    private readonly PollerSettings _settings;
    private readonly BurrowApiClient _api;
    private readonly IEventSink _sink;
    private readonly IMetricRelay _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NameCache _names = new();
    private readonly Lock _healthLock = new();
    private PluginHealth _health = PluginHealth.Healthy;
    private DateTimeOffset? _unreachableSince;

    public BurrowPoller(PollerSettings settings, BurrowApiClient api, IEventSink sink, IMetricRelay metrics, TimeProvider time, ILogger logger)
    {
        _settings = settings;
        _api = api;
        _sink = sink;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public PluginHealth Health
    {
        get
        {
            // A struct of two fields, read by /health while a poll writes it: a lock keeps it untorn.
            lock (_healthLock)
            {
                return _health;
            }
        }
    }

    /// <summary>Polls every cluster and group once.</summary>
    /// <returns>What the poll did.</returns>
    public async Task<PollSummary> PollOnceAsync(CancellationToken cancellationToken)
    {
        var polledAt = _time.GetUtcNow();
        _metrics.Increment(PollerMetricNames.Cycles);
        var clusters = await GetListAsync("v3/kafka", "clusters", "clusters", cancellationToken).ConfigureAwait(false);
        var unreachable = clusters.NotFound ? "HTTP 404 for v3/kafka: is url Burrow's HTTP API (its [httpserver] address)?" : clusters.Error;
        if (unreachable is not null)
        {
            _unreachableSince ??= polledAt;
            Log.Unreachable(_logger, _settings.Url, unreachable);
            SetHealth(PluginHealth.Degraded($"Burrow at {_settings.Url} unreachable since {_unreachableSince:u}: {unreachable}"));
            return new PollSummary(Reachable: false, 0, 0, 0, [unreachable]);
        }

        _unreachableSince = null;
        var work = new List<(string Cluster, string Group)>();
        var errors = new ConcurrentQueue<string>();
        foreach (var cluster in clusters.Names!)
        {
            if (_settings.Clusters.Count > 0 && !_settings.Clusters.Contains(cluster, StringComparer.Ordinal))
            {
                continue;
            }

            var consumers = await GetListAsync($"v3/kafka/{Uri.EscapeDataString(cluster)}/consumer", "consumers", "consumers", cancellationToken)
                .ConfigureAwait(false);
            if (consumers.NotFound)
            {
                Log.ClusterGone(_logger, cluster);
                continue;
            }

            if (consumers.Error is { } error)
            {
                errors.Enqueue($"cluster {cluster}: {error}");
                continue;
            }

            work.AddRange(consumers.Names!.Where(_settings.IsPolled).Select(group => (cluster, group)));
        }

        var emitted = 0;
        var notFound = 0;
        await Parallel.ForEachAsync(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = _settings.Concurrency, CancellationToken = cancellationToken },
            async (item, token) =>
            {
                switch (await PollGroupAsync(item.Cluster, item.Group, polledAt, token).ConfigureAwait(false))
                {
                    case (GroupOutcome.Emitted, _):
                        Interlocked.Increment(ref emitted);
                        break;
                    case (GroupOutcome.NotFound, _):
                        Interlocked.Increment(ref notFound);
                        break;
                    case (_, var error):
                        errors.Enqueue($"{item.Cluster}/{item.Group}: {error}");
                        break;
                }
            }).ConfigureAwait(false);

        var summary = new PollSummary(Reachable: true, work.Count, emitted, notFound, [.. errors]);
        if (summary.Errors.Count == 0)
        {
            Log.Polled(_logger, work.Count, emitted, notFound);
            SetHealth(PluginHealth.Healthy);
        }
        else
        {
            Log.PolledWithErrors(_logger, work.Count, emitted, notFound, summary.Errors.Count, summary.Errors[0]);
            SetHealth(PluginHealth.Degraded($"the last poll of {_settings.Url} had {summary.Errors.Count} failures; first: {summary.Errors[0]}"));
        }

        return summary;
    }

    private async Task<(GroupOutcome Outcome, string? Error)> PollGroupAsync(string cluster, string group, DateTimeOffset polledAt, CancellationToken cancellationToken)
    {
        var answer = await _api.GetAsync(
            $"v3/kafka/{Uri.EscapeDataString(cluster)}/consumer/{Uri.EscapeDataString(group)}/lag", cancellationToken).ConfigureAwait(false);
        Count(PollerMetricNames.Requests, "lag", answer.Status);
        if (answer.Status == ApiStatus.NotFound)
        {
            return Outcome(GroupOutcome.NotFound);
        }

        if (answer.Status == ApiStatus.Failed)
        {
            return Outcome(GroupOutcome.Failed, answer.Error);
        }

        BurrowReport report;
        try
        {
            report = BurrowReportParser.Parse(answer.Body, isDelete: false, defaultCluster: null, _names);
        }
        catch (Exception e) when (e is JsonException or BurrowBodyException)
        {
            return Outcome(GroupOutcome.Invalid, "Burrow's answer is not a consumer status: " + e.Message);
        }

        if (report.Status.StatusCode == BurrowStatus.NotFound)
        {
            return Outcome(GroupOutcome.NotFound);
        }

        // /lag lists every partition of the group.
        var @event = ConsumerStatusEventFactory.Create(
            report with { IsFull = true }, MessageIds.ForPoll(answer.Body, polledAt), _time.GetUtcNow(), answer.Body, ConsumerStatusEventFactory.PollerSource);
        try
        {
            await _sink.EmitAsync(@event, cancellationToken).ConfigureAwait(false);
        }
        catch (PipelineUnavailableException e)
        {
            return Outcome(GroupOutcome.Refused, "the pipeline refused the report: " + e.Message);
        }

        return Outcome(GroupOutcome.Emitted);
    }

    private (GroupOutcome, string?) Outcome(GroupOutcome outcome, string? error = null)
    {
        _metrics.Increment(PollerMetricNames.Groups, 1, new TagList { { PollerMetricNames.OutcomeTag, OutcomeText(outcome) } });
        return (outcome, error);
    }

    private async Task<(IReadOnlyList<string>? Names, bool NotFound, string? Error)> GetListAsync(
        string path, string property, string stage, CancellationToken cancellationToken)
    {
        var answer = await _api.GetAsync(path, cancellationToken).ConfigureAwait(false);
        Count(PollerMetricNames.Requests, stage, answer.Status);
        return answer.Status switch
        {
            ApiStatus.NotFound => (null, true, null),
            ApiStatus.Failed => (null, false, answer.Error),
            _ => Parse(answer.Body!, property),
        };

        static (IReadOnlyList<string>?, bool, string?) Parse(byte[] body, string property)
        {
            try
            {
                return (ApiLists.Read(body, property), false, null);
            }
            catch (JsonException e)
            {
                return (null, false, "Burrow's answer is not a list: " + e.Message);
            }
        }
    }

    private void Count(string name, string stage, ApiStatus status) =>
        _metrics.Increment(name, 1, new TagList
        {
            { PollerMetricNames.StageTag, stage },
            { PollerMetricNames.OutcomeTag, status switch { ApiStatus.Ok => "ok", ApiStatus.NotFound => "not_found", _ => "failed" } },
        });

    private void SetHealth(PluginHealth health)
    {
        lock (_healthLock)
        {
            _health = health;
        }
    }

    private static string OutcomeText(GroupOutcome outcome) => outcome switch
    {
        GroupOutcome.Emitted => "emitted",
        GroupOutcome.NotFound => "not_found",
        GroupOutcome.Invalid => "invalid",
        GroupOutcome.Refused => "refused",
        _ => "failed",
    };

    private enum GroupOutcome
    {
        Emitted,
        NotFound,
        Failed,
        Invalid,
        Refused,
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6211, Level = LogLevel.Warning, Message = "Burrow at {Url} is unreachable: {Error}; polling again next interval")]
        public static partial void Unreachable(ILogger logger, Uri url, string error);

        [LoggerMessage(EventId = 6212, Level = LogLevel.Information, Message = "Cluster {Cluster} is gone from Burrow (404); skipped")]
        public static partial void ClusterGone(ILogger logger, string cluster);

        [LoggerMessage(EventId = 6213, Level = LogLevel.Debug, Message = "Polled {Groups} groups: {Emitted} emitted, {NotFound} not found")]
        public static partial void Polled(ILogger logger, int groups, int emitted, int notFound);

        [LoggerMessage(EventId = 6214, Level = LogLevel.Warning, Message = "Polled {Groups} groups: {Emitted} emitted, {NotFound} not found, {Failures} failures; first: {FirstError}")]
        public static partial void PolledWithErrors(ILogger logger, int groups, int emitted, int notFound, int failures, string firstError);
    }
}
