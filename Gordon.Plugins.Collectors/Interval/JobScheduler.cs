using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Gordon.Abstractions.Collectors;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Metrics;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Collectors.Interval;

/// <summary>
/// Runs jobs on their interval grids. Missed fires are coalesced into one run, told every interval that fired;
/// runs share <see cref="SchedulerOptions.MaxConcurrency"/> slots; a job still running (or waiting for a slot) when it
/// is due again is skipped and counted, never stacked. Each sample a probe returns becomes one
/// <c>collector.&lt;probe&gt;</c> event.
/// </summary>
internal sealed partial class JobScheduler : IDisposable
{
    /// <summary>Traits the scheduler adds to every event; a probe value of the same name is left out.</summary>
    public static readonly IReadOnlySet<string> MetaTraits = new HashSet<string>(StringComparer.Ordinal) { "job", "account", "path_prefix" };

    private readonly ProbeRegistry _probes;
    private readonly IEventSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMetricRelay _metrics;
    private readonly SchedulerOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ScheduledJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _runs = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JobScheduler(ProbeRegistry probes, IEventSink sink, TimeProvider time, ILogger logger, IMetricRelay metrics, SchedulerOptions options)
    {
        _probes = probes ?? throw new ArgumentNullException(nameof(probes));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
    }

    /// <summary>The scheduled jobs and their next fire times.</summary>
    public IReadOnlyDictionary<string, (JobDefinition Definition, DateTimeOffset Next)> Jobs
    {
        get
        {
            lock (_gate)
            {
                return _jobs.ToDictionary(j => j.Key, j => (j.Value.Definition, j.Value.Next), StringComparer.Ordinal);
            }
        }
    }

    /// <summary>
    /// Makes the scheduled jobs the given ones: an identical job keeps its grid and phase; a job whose probe,
    /// parameters, intervals or start changed is rescheduled from now; a job not given is removed (a run in progress
    /// finishes).
    /// </summary>
    public (int Added, int Replaced, int Removed) Apply(IReadOnlyList<JobDefinition> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        int added = 0, replaced = 0, removed = 0;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var definition in jobs)
            {
                wanted.Add(definition.Id);
                if (_jobs.TryGetValue(definition.Id, out var existing))
                {
                    if (existing.Definition.SameAs(definition))
                    {
                        continue;
                    }

                    replaced++;
                }
                else
                {
                    added++;
                }

                var start = definition.Start ?? now;
                if (start > now)
                {
                    Log.StartInFuture(_logger, definition.Id, start);
                    start = now;
                }

                var trigger = new MultipleIntervalsTrigger(start, definition.Intervals);
                var (next, affecting) = trigger.NextAfter(now);
                _jobs[definition.Id] = new ScheduledJob(definition, trigger) { Next = next, NextAffecting = affecting };
            }

            foreach (var id in _jobs.Keys.Where(id => !wanted.Contains(id)).ToList())
            {
                _jobs.Remove(id);
                removed++;
            }

            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _metrics.Set("collectors-interval-jobs", _jobs.Count, default);
        }

        return (added, replaced, removed);
    }

    /// <summary>Fires jobs until cancelled, then waits for the runs in progress.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Task changed;
                DateTimeOffset? earliest;
                lock (_gate)
                {
                    changed = _changed.Task;
                    FireDue(_time.GetUtcNow(), cancellationToken);
                    earliest = _jobs.Count == 0 ? null : _jobs.Values.Min(j => j.Next);
                }

                var before = _time.GetUtcNow();
                var wait = earliest is { } e ? e - before : Timeout.InfiniteTimeSpan;
                if (earliest is not null && wait <= TimeSpan.Zero)
                {
                    continue;
                }

                using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(wait, _time, stopWaiting.Token);
                // A timer counts from when it is made: if the clock moved while it was being made (a clock that
                // jumps, like a test's), it would fire late, so look again instead of waiting.
                if (_time.GetUtcNow() == before)
                {
                    await Task.WhenAny(delay, changed).ConfigureAwait(false);
                }

                await stopWaiting.CancelAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await Task.WhenAll(_runs.Keys).ConfigureAwait(false);
        }
    }

    public void Dispose() => _slots.Dispose();

    private void FireDue(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var job in _jobs.Values)
        {
            if (job.Next > now)
            {
                continue;
            }

            var (scheduled, affecting) = job.Trigger.LatestAtOrBefore(now, job.Next);
            var coalesced = scheduled > job.Next;
            (job.Next, job.NextAffecting) = job.Trigger.NextAfter(now);
            var id = job.Definition.Id;
            if (now - scheduled > _options.MisfireGrace)
            {
                _metrics.Increment("collectors-interval-missed", 1, new TagList { { "job", id } });
                Log.Missed(_logger, id, scheduled, now - scheduled);
                continue;
            }

            if (coalesced)
            {
                Log.Coalesced(_logger, id, scheduled);
            }

            if (!_running.TryAdd(id, 0))
            {
                _metrics.Increment("collectors-interval-skipped", 1, new TagList { { "job", id } });
                Log.Skipped(_logger, id, scheduled);
                continue;
            }

            // Off the scheduler's lock: a probe may do synchronous work (start a process) before its first await.
            var definition = job.Definition;
            var run = Task.Run(() => RunJobAsync(definition, scheduled, affecting, cancellationToken), CancellationToken.None);
            _runs.TryAdd(run, 0);
            _ = run.ContinueWith(t => _runs.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task RunJobAsync(JobDefinition job, DateTimeOffset scheduled, IReadOnlyList<TimeSpan> affecting, CancellationToken cancellationToken)
    {
        var outcome = "ok";
        var acquired = false;
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            acquired = true;
            if (!_probes.TryGet(job.Probe, out var probe))
            {
                throw new InvalidOperationException($"unknown probe '{job.Probe}'");
            }

            var started = _time.GetUtcNow();
            using var timeout = new CancellationTokenSource(_options.RunTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var invocation = new ProbeInvocation
            {
                JobId = job.Id,
                Parameters = job.Parameters,
                AffectingIntervals = affecting,
                ScheduledTime = scheduled,
                TimeProvider = _time,
                Logger = _logger,
            };
            IReadOnlyList<ProbeSample> samples;
            try
            {
                samples = await probe.RunAsync(invocation, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                outcome = "timeout";
                Log.TimedOut(_logger, job.Id, _options.RunTimeout.TotalSeconds);
                return;
            }

            for (var i = 0; i < samples.Count; i++)
            {
                await EmitAsync(job, scheduled, started, affecting, samples[i], i, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
        }
        catch (Exception e)
        {
            outcome = "failed";
            Log.Failed(_logger, job.Id, job.Probe, e.Message);
        }
        finally
        {
            if (acquired)
            {
                _slots.Release();
            }

            _running.TryRemove(job.Id, out _);
            _metrics.Increment("collectors-interval-runs", 1, new TagList { { "job", job.Id }, { "outcome", outcome } });
        }
    }

    private async Task EmitAsync(JobDefinition job, DateTimeOffset scheduled, DateTimeOffset generated, IReadOnlyList<TimeSpan> affecting, ProbeSample sample, int index, CancellationToken cancellationToken)
    {
        var traits = new List<Trait> { Trait.String("job", job.Id) };
        if (Text(job.Parameters, "account") is { } account)
        {
            traits.Add(Trait.String("account", account));
        }

        if (Text(job.Parameters, "path_prefix") is { } prefix)
        {
            traits.Add(Trait.String("path_prefix", prefix));
        }

        traits.AddRange(sample.Values.Where(v => !MetaTraits.Contains(v.Name)));
        var raw = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["job"] = job.Id,
            ["probe"] = job.Probe,
            ["scheduled"] = scheduled.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["intervals"] = affecting.Select(i => (long)i.TotalSeconds).ToArray(),
            ["values"] = sample.Values.ToDictionary(v => v.Name, v => v.Value is DateTimeOffset t ? t.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : v.Value),
        });
        var @event = new Event
        {
            // The same fire always gives the same ids, so a store that already has them keeps one copy.
            MessageId = FormattableString.Invariant($"collector.{job.Probe}.{job.Id}.{scheduled.ToUnixTimeMilliseconds()}.{index}"),
            EventType = "collector." + job.Probe,
            Generated = generated,
            Traits = traits,
            Raw = raw,
        };
        try
        {
            await _sink.EmitAsync(@event, cancellationToken).ConfigureAwait(false);
        }
        catch (PipelineUnavailableException e)
        {
            _metrics.Increment("collectors-interval-emit-failed", 1, new TagList { { "job", job.Id } });
            Log.EmitFailed(_logger, job.Id, e.Message);
        }
    }

    private static string? Text(JsonElement parameters, string name) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private sealed class ScheduledJob(JobDefinition definition, MultipleIntervalsTrigger trigger)
    {
        public JobDefinition Definition { get; } = definition;

        public MultipleIntervalsTrigger Trigger { get; } = trigger;

        public DateTimeOffset Next { get; set; }

        public IReadOnlyList<TimeSpan> NextAffecting { get; set; } = [];
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 11201, Level = LogLevel.Warning, Message = "Job {Job}: its start {Start} is in the future; aligning with start failed, it starts now")]
        public static partial void StartInFuture(ILogger logger, string job, DateTimeOffset start);

        [LoggerMessage(EventId = 11202, Level = LogLevel.Warning, Message = "Job {Job}: the run due at {Scheduled} is {Late} late, past the misfire grace: missed")]
        public static partial void Missed(ILogger logger, string job, DateTimeOffset scheduled, TimeSpan late);

        [LoggerMessage(EventId = 11203, Level = LogLevel.Information, Message = "Job {Job}: missed runs coalesced into one, due at {Scheduled}")]
        public static partial void Coalesced(ILogger logger, string job, DateTimeOffset scheduled);

        [LoggerMessage(EventId = 11204, Level = LogLevel.Warning, Message = "Job {Job}: skipped the run due at {Scheduled}, the previous run is still going")]
        public static partial void Skipped(ILogger logger, string job, DateTimeOffset scheduled);

        [LoggerMessage(EventId = 11205, Level = LogLevel.Warning, Message = "Job {Job}: cancelled after the run timeout of {Seconds} s")]
        public static partial void TimedOut(ILogger logger, string job, double seconds);

        [LoggerMessage(EventId = 11206, Level = LogLevel.Warning, Message = "Job {Job} (probe {Probe}) failed: {Error}")]
        public static partial void Failed(ILogger logger, string job, string probe, string error);

        [LoggerMessage(EventId = 11207, Level = LogLevel.Warning, Message = "Job {Job}: an event was not emitted: {Error}")]
        public static partial void EmitFailed(ILogger logger, string job, string error);
    }
}
