using System.Text.Json;
using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Interval;
using Gordon.Plugins.Collectors.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Collectors.Tests.Interval;

/// <summary>Part C, interval jobs: the grid, alignment, refresh rules, overlap, concurrency, coalescing.</summary>
public sealed class JobSchedulerTests
{
    private static readonly DateTimeOffset T0 = new(2024, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider _time = null!;
    private ScriptedProbe _probe = null!;
    private ScriptedProbe _other = null!;
    private RecordingSink _sink = null!;
    private RecordingMetrics _metrics = null!;
    private RecordingLogger _logger = null!;
    private ProbeRegistry _registry = null!;
    private CancellationTokenSource _stop = null!;
    private JobScheduler? _scheduler;
    private Task? _running;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(T0);
        _probe = new ScriptedProbe();
        _other = new ScriptedProbe();
        _sink = new RecordingSink();
        _metrics = new RecordingMetrics();
        _logger = new RecordingLogger();
        _registry = new ProbeRegistry(new Dictionary<string, ICollectorProbe> { ["scripted"] = _probe, ["other"] = _other });
        _stop = new CancellationTokenSource();
    }

    [TearDown]
    public async Task TearDown()
    {
        _probe.Hold = false;
        _probe.Release();
        _other.Hold = false;
        _other.Release();
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }

        _scheduler?.Dispose();
        await _registry.DisposeAsync();
        _logger.Dispose();
        _stop.Dispose();
    }

    [Test]
    public async Task Job_WithIntervals20And30_FiresOnTheUnionOfTheGrids_ToldWhichIntervalsFired()
    {
        Start().Apply([Job("a", 20, 30)]);
        var expected = new (int Offset, int[] Affecting)[]
        {
            (20, [20]), (30, [30]), (40, [20]), (60, [20, 30]), (80, [20]), (90, [30]), (100, [20]), (120, [20, 30]),
        };

        var runs = 0;
        foreach (var (offset, affecting) in expected)
        {
            _time.SetUtcNow(T0.AddSeconds(offset));
            var invocation = await _probe.NextAsync();
            Assert.That(invocation.ScheduledTime, Is.EqualTo(T0.AddSeconds(offset)));
            Assert.That(invocation.AffectingIntervals, Is.EqualTo(affecting.Select(s => TimeSpan.FromSeconds(s))), $"at +{offset}");
            // The next fire would be skipped while this run is still finishing: wait for it to end.
            await RunsEnded("a", ++runs);
        }

        Assert.That(_probe.TryNext(out _), Is.False, "a grid point shared by two intervals fires once");
    }

    [Test]
    public async Task NewJob_FirstFiresOneMinimumIntervalAfterItIsScheduled_NotAtOnce()
    {
        var scheduler = Start();
        _time.Advance(TimeSpan.FromSeconds(7));
        scheduler.Apply([Job("a", 45, 15)]);

        Assert.That(scheduler.Jobs["a"].Next, Is.EqualTo(T0.AddSeconds(22)));
        _time.Advance(TimeSpan.FromSeconds(14));
        await Settle();
        Assert.That(_probe.TryNext(out _), Is.False);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That((await _probe.NextAsync()).ScheduledTime, Is.EqualTo(T0.AddSeconds(22)));
    }

    [Test]
    public async Task Job_WithStartInThePast_FiresAlignedToStartPlusMultiples()
    {
        var scheduler = Start();
        scheduler.Apply([Job("a", [20], start: T0.AddSeconds(-25))]);

        Assert.That(scheduler.Jobs["a"].Next, Is.EqualTo(T0.AddSeconds(15)));
        _time.SetUtcNow(T0.AddSeconds(15));
        Assert.That((await _probe.NextAsync()).ScheduledTime, Is.EqualTo(T0.AddSeconds(15)));
        await RunsEnded("a", 1);
        _time.SetUtcNow(T0.AddSeconds(35));
        Assert.That((await _probe.NextAsync()).ScheduledTime, Is.EqualTo(T0.AddSeconds(35)));
    }

    [Test]
    public void Job_WithStartInTheFuture_IsClampedToNowWithAWarning()
    {
        var scheduler = Start();
        scheduler.Apply([Job("a", [20], start: T0.AddHours(1))]);

        Assert.That(scheduler.Jobs["a"].Next, Is.EqualTo(T0.AddSeconds(20)));
        Assert.That(_logger.Entries.Select(e => e.Message), Has.One.Contains("is in the future"));
    }

    [Test]
    public void Refresh_IdenticalJobKeepsItsPhase_ChangedParamsIntervalsOrStartReschedule_VanishedIsRemoved()
    {
        var scheduler = Start();
        scheduler.Apply([Job("same", 20), Job("params", 20), Job("intervals", 20), Job("start", 20), Job("gone", 20)]);
        _time.Advance(TimeSpan.FromSeconds(10));

        var changes = scheduler.Apply(
        [
            Job("same", 20),
            Job("params", [20], parameters: """{"url":"http://127.0.0.1/other"}"""),
            Job("intervals", 20, 30),
            Job("start", [20], start: T0.AddSeconds(5)),
            Job("new", 20),
        ]);

        var jobs = scheduler.Jobs;
        Assert.Multiple(() =>
        {
            Assert.That(changes, Is.EqualTo((1, 3, 1)));
            Assert.That(jobs["same"].Next, Is.EqualTo(T0.AddSeconds(20)));
            Assert.That(jobs["params"].Next, Is.EqualTo(T0.AddSeconds(30)));
            Assert.That(jobs["intervals"].Next, Is.EqualTo(T0.AddSeconds(30)));
            Assert.That(jobs["start"].Next, Is.EqualTo(T0.AddSeconds(25)));
            Assert.That(jobs.ContainsKey("gone"), Is.False);
            Assert.That(jobs["new"].Next, Is.EqualTo(T0.AddSeconds(30)));
        });
    }

    [Test]
    public async Task Job_StillRunningWhenDueAgain_IsSkippedAndCounted_NotStacked()
    {
        _probe.Hold = true;
        Start().Apply([Job("slow", 10)]);
        _time.SetUtcNow(T0.AddSeconds(10));
        await _probe.NextAsync();

        _time.SetUtcNow(T0.AddSeconds(20));
        await WaitUntilAsync(() => _metrics.Counter("collectors-interval-skipped", "job=slow") == 1);
        _time.SetUtcNow(T0.AddSeconds(30));
        await WaitUntilAsync(() => _metrics.Counter("collectors-interval-skipped", "job=slow") == 2);
        Assert.That(_probe.TryNext(out _), Is.False);

        _probe.Hold = false;
        _probe.Release();
        await WaitUntilAsync(() => _metrics.Counter("collectors-interval-runs", "job=slow,outcome=ok") == 1);
        _time.SetUtcNow(T0.AddSeconds(40));
        Assert.That((await _probe.NextAsync()).ScheduledTime, Is.EqualTo(T0.AddSeconds(40)));
    }

    [Test]
    public async Task Runs_ShareTheConcurrencySlots_AWaitingJobRunsWhenASlotFrees()
    {
        _probe.Hold = true;
        _other.Hold = true;
        Start(new SchedulerOptions { MaxConcurrency = 1 }).Apply([Job("first", 10), Job("second", [10], probe: "other")]);

        _time.SetUtcNow(T0.AddSeconds(10));
        // Either job may take the only slot first; the other must wait until it is released.
        ProbeInvocation? started = null;
        await WaitUntilAsync(() => _probe.TryNext(out started) || _other.TryNext(out started));
        var (running, waiting) = started!.JobId == "first" ? (_probe, _other) : (_other, _probe);
        await Settle();
        Assert.That(waiting.TryNext(out _), Is.False, "the other job waits for the only slot");

        running.Release();
        Assert.That((await waiting.NextAsync()).JobId, Is.EqualTo(started.JobId == "first" ? "second" : "first"));
    }

    [Test]
    public async Task MissedFires_AreCoalescedIntoOneRunToldEveryIntervalThatFired()
    {
        Start(new SchedulerOptions { MisfireGrace = TimeSpan.FromSeconds(10) }).Apply([Job("a", 10, 15)]);

        _time.SetUtcNow(T0.AddSeconds(35));

        var invocation = await _probe.NextAsync();
        Assert.Multiple(() =>
        {
            Assert.That(invocation.ScheduledTime, Is.EqualTo(T0.AddSeconds(30)));
            Assert.That(invocation.AffectingIntervals, Is.EqualTo(new[] { TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15) }));
        });
        await Settle();
        Assert.That(_probe.TryNext(out _), Is.False);
    }

    [Test]
    public async Task FireLaterThanTheMisfireGrace_IsMissedAndCounted()
    {
        var scheduler = Start(new SchedulerOptions { MisfireGrace = TimeSpan.FromSeconds(5) });
        scheduler.Apply([Job("a", 30)]);

        _time.SetUtcNow(T0.AddSeconds(100));

        await WaitUntilAsync(() => _metrics.Counter("collectors-interval-missed", "job=a") == 1);
        Assert.That(_probe.TryNext(out _), Is.False);
        Assert.That(scheduler.Jobs["a"].Next, Is.EqualTo(T0.AddSeconds(120)));
    }

    [Test]
    public async Task Run_LongerThanTheRunTimeout_IsCancelledAndCounted()
    {
        _probe.Hold = true;
        Start(new SchedulerOptions { RunTimeout = TimeSpan.FromSeconds(5) }).Apply([Job("a", 60)]);
        _time.SetUtcNow(T0.AddSeconds(60));
        await _probe.NextAsync();

        _time.Advance(TimeSpan.FromSeconds(5));

        await WaitUntilAsync(() => _metrics.Counter("collectors-interval-runs", "job=a,outcome=timeout") == 1);
        Assert.That(_sink.Events, Is.Empty);
    }

    [Test]
    public async Task Run_EmitsOneEventPerSample_WithJobAccountAndValuesAsTraits()
    {
        _probe.Samples = _ => [new ProbeSample([Gordon.Abstractions.Events.Trait.Float("latency", 0.25), Gordon.Abstractions.Events.Trait.String("job", "spoofed")]), new ProbeSample([Gordon.Abstractions.Events.Trait.Integer("up", 0)])];
        Start().Apply([Job("web", [30], parameters: """{"account":7,"path_prefix":"entity.5.http"}""")]);
        _time.SetUtcNow(T0.AddSeconds(30));

        await WaitUntilAsync(() => _sink.Events.Count == 2);

        var events = _sink.Events.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.EventType), Has.All.EqualTo("collector.scripted"));
            Assert.That(events.Select(e => e.MessageId), Is.EqualTo(new[] { $"collector.scripted.web.{T0.AddSeconds(30).ToUnixTimeMilliseconds()}.0", $"collector.scripted.web.{T0.AddSeconds(30).ToUnixTimeMilliseconds()}.1" }));
            Assert.That(events[0].Traits.Select(t => t.ToString()), Is.EqualTo(new[] { "job(String)=web", "account(String)=7", "path_prefix(String)=entity.5.http", "latency(Float)=0.25" }));
            Assert.That(events[1].Traits.Select(t => t.ToString()), Is.EqualTo(new[] { "job(String)=web", "account(String)=7", "path_prefix(String)=entity.5.http", "up(Integer)=0" }));
            Assert.That(JsonDocument.Parse(events[0].Raw).RootElement.GetProperty("intervals")[0].GetInt64(), Is.EqualTo(30));
        });
    }

    [Test]
    public async Task FailingProbe_IsCountedAndTheJobKeepsItsSchedule()
    {
        _probe.Samples = _ => throw new InvalidOperationException("boom");
        Start().Apply([Job("a", 10)]);
        _time.SetUtcNow(T0.AddSeconds(10));
        await _probe.NextAsync();
        await WaitUntilAsync(() => _metrics.Counter("collectors-interval-runs", "job=a,outcome=failed") == 1);

        _time.SetUtcNow(T0.AddSeconds(20));

        Assert.That((await _probe.NextAsync()).ScheduledTime, Is.EqualTo(T0.AddSeconds(20)));
        Assert.That(_logger.Entries.Select(e => e.Message), Has.Some.Contains("boom"));
    }

    private JobScheduler Start(SchedulerOptions? options = null)
    {
        _scheduler = new JobScheduler(_registry, _sink, _time, _logger, _metrics, options ?? new SchedulerOptions());
        _running = _scheduler.RunAsync(_stop.Token);
        return _scheduler;
    }

    private static JobDefinition Job(string id, params int[] intervals) => Job(id, intervals, null, null);

    private static JobDefinition Job(string id, int[] intervals, DateTimeOffset? start = null, string? parameters = null, string probe = "scripted") =>
        new(id, [.. intervals.Order().Select(s => TimeSpan.FromSeconds(s))], probe, JsonDocument.Parse(parameters ?? "{}").RootElement, start, "config");

    private Task RunsEnded(string job, int count) =>
        WaitUntilAsync(() => _metrics.Counter("collectors-interval-runs", $"job={job},outcome=ok") == count);

    // Lets the scheduler loop and the runs it started reach their next wait; nothing here waits for time to pass.
    private static async Task Settle()
    {
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(1);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(2, timeout.Token);
        }
    }
}
