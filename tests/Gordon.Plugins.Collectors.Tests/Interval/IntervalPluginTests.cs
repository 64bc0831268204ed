using Gordon.Abstractions.Collectors;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Collectors.Interval;
using Gordon.Plugins.Collectors.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Collectors.Tests.Interval;

/// <summary>Part C, refresh rules over real sources: config jobs, a jobs_url server, rejections, failing sources.</summary>
public sealed class IntervalPluginTests
{
    private static readonly DateTimeOffset T0 = new(2024, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private TempDirectory _directory = null!;
    private FakeTimeProvider _time = null!;
    private ScriptedProbe _probe = null!;
    private RecordingSink _sink = null!;
    private volatile string _jobs = "[]";
    private volatile int _status = 200;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _time = new FakeTimeProvider(T0);
        _probe = new ScriptedProbe();
        _sink = new RecordingSink();
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public async Task Refresh_BadIntervalsRejectOnlyThatJob_WithAReason_AndAreRetriedAtTheNextRefresh()
    {
        await using var server = await JobsServer();
        await using var plugin = Plugin(server);
        _jobs = """
            [
              {"id": "good", "intervals": [20, 30, 30.7], "probe": "scripted"},
              {"id": "empty", "intervals": [], "probe": "scripted"},
              {"id": "null", "intervals": [30, null], "probe": "scripted"},
              {"id": "zero", "intervals": [0], "probe": "scripted"},
              {"id": "words", "intervals": ["soon"], "probe": "scripted"}
            ]
            """;

        await plugin.Refresher.RefreshAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(plugin.Scheduler.Jobs.Keys, Is.EquivalentTo(new[] { "cfg", "good" }));
            Assert.That(plugin.Scheduler.Jobs["good"].Definition.Intervals, Is.EqualTo(new[] { TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30) }));
            Assert.That(plugin.Refresher.Rejected, Is.EquivalentTo(new[]
            {
                "jobs_url job 'empty': at least one interval must be given",
                "jobs_url job 'null': interval 2 (null) is not a duration: use seconds or a text like \"30s\" or \"5m\"",
                "jobs_url job 'zero': interval 1 (0) must be at least 1 second",
                "jobs_url job 'words': interval 1 (\"soon\") is not a duration: use seconds or a text like \"30s\" or \"5m\"",
            }));
            Assert.That(plugin.GetHealth().State, Is.EqualTo(PluginHealthState.Degraded));
        });

        _jobs = """[{"id": "good", "intervals": [20, 30], "probe": "scripted"}, {"id": "zero", "intervals": [15], "probe": "scripted"}]""";
        await plugin.Refresher.RefreshAsync(CancellationToken.None);

        Assert.That(plugin.Scheduler.Jobs.Keys, Is.EquivalentTo(new[] { "cfg", "good", "zero" }));
        Assert.That(plugin.Refresher.Rejected, Is.Empty);
        Assert.That(plugin.GetHealth(), Is.EqualTo(PluginHealth.Healthy));
    }

    [Test]
    public async Task Refresh_FailingSource_RemovesNothing_ThenVanishedJobsAreRemoved()
    {
        await using var server = await JobsServer();
        await using var plugin = Plugin(server);
        _jobs = """[{"id": "a", "intervals": [60], "probe": "scripted"}, {"id": "b", "intervals": [60], "probe": "scripted"}]""";
        await plugin.Refresher.RefreshAsync(CancellationToken.None);

        _status = 500;
        await plugin.Refresher.RefreshAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(plugin.Scheduler.Jobs.Keys, Is.EquivalentTo(new[] { "cfg", "a", "b" }));
            Assert.That(plugin.Refresher.FailedSources, Is.EqualTo(new[] { "jobs_url" }));
            Assert.That(plugin.GetHealth().Detail, Does.Contain("job sources failing: jobs_url"));
        });

        _status = 200;
        _jobs = """{"jobs": [{"id": "a", "intervals": [60], "probe": "scripted"}]}""";
        await plugin.Refresher.RefreshAsync(CancellationToken.None);
        Assert.That(plugin.Scheduler.Jobs.Keys, Is.EquivalentTo(new[] { "cfg", "a" }));
    }

    [Test]
    public async Task Refresh_IdenticalRemoteJobKeepsItsPhase_ChangedOneIsRescheduled()
    {
        await using var server = await JobsServer();
        await using var plugin = Plugin(server);
        _jobs = """[{"id": "a", "intervals": [60], "probe": "scripted", "params": {"x": 1}}, {"id": "b", "intervals": [60], "probe": "scripted", "params": {"x": 1}}]""";
        await plugin.Refresher.RefreshAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(25));

        _jobs = """[{"id": "a", "intervals": [60], "probe": "scripted", "params": {"x": 1}}, {"id": "b", "intervals": [60], "probe": "scripted", "params": {"x": 2}}]""";
        await plugin.Refresher.RefreshAsync(CancellationToken.None);

        Assert.That(plugin.Scheduler.Jobs["a"].Next, Is.EqualTo(T0.AddSeconds(60)));
        Assert.That(plugin.Scheduler.Jobs["b"].Next, Is.EqualTo(T0.AddSeconds(85)));
    }

    [Test]
    public async Task Refresh_UnknownProbe_RemoteCommand_DuplicateIdAndBadParams_AreRejected_WhileAnEarlierGoodVersionKeepsRunning()
    {
        await using var server = await JobsServer();
        await using var plugin = Plugin(server);
        _jobs = """[{"id": "web", "intervals": [60], "probe": "http", "params": {"url": "http://127.0.0.1:1/"}}]""";
        await plugin.Refresher.RefreshAsync(CancellationToken.None);

        _jobs = """
            [
              {"id": "web", "intervals": [60], "probe": "http", "params": {"url": "gopher://nowhere"}},
              {"id": "x", "intervals": [60], "probe": "snmp"},
              {"id": "rm", "intervals": [60], "probe": "command", "params": {"command": "/bin/rm"}},
              {"id": "cfg", "intervals": [60], "probe": "scripted"}
            ]
            """;
        await plugin.Refresher.RefreshAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(plugin.Scheduler.Jobs.Keys, Is.EquivalentTo(new[] { "cfg", "web" }));
            Assert.That(plugin.Scheduler.Jobs["web"].Definition.Parameters.GetProperty("url").GetString(), Is.EqualTo("http://127.0.0.1:1/"));
            Assert.That(plugin.Refresher.Rejected, Is.EquivalentTo(new[]
            {
                "jobs_url job 'web': params.url 'gopher://nowhere' is not an http or https URL",
                "jobs_url job 'x': unknown probe 'snmp' (known: command, http, scripted, sql, tcp)",
                "jobs_url job 'rm': probe 'command' is not allowed for remote jobs (remote_probes)",
                "jobs_url job 'cfg': the id is already used by a job from config",
            }));
        });
    }

    [Test]
    public async Task Run_FiresConfigJobsOnTheFakeClock_AndEmitsTheirEvents()
    {
        await using var plugin = Plugin(null);
        using var stop = new CancellationTokenSource();
        var running = plugin.RunAsync(stop.Token);
        await WaitUntilAsync(() => plugin.Scheduler.Jobs.ContainsKey("cfg"));

        _time.Advance(TimeSpan.FromSeconds(45));

        Assert.That((await _probe.NextAsync()).JobId, Is.EqualTo("cfg"));
        await WaitUntilAsync(() => _sink.Events.Count == 1);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(_sink.Events.Single().EventType, Is.EqualTo("collector.scripted"));
    }

    [Test]
    public void Config_BadJobs_AreReportedByKeyPath()
    {
        var config = TestConfig.Section("collectors.interval", new Dictionary<string, object?>
        {
            ["jobs"] = new object[]
            {
                new Dictionary<string, object?> { ["id"] = "a", ["probe"] = "tcp", ["intervals"] = new object[] { 0 } },
                new Dictionary<string, object?> { ["id"] = "b", ["probe"] = "tcp" },
                new Dictionary<string, object?> { ["id"] = "a", ["probe"] = "tcp", ["intervals"] = new object[] { "1m" } },
                new Dictionary<string, object?> { ["id"] = "c", ["probe"] = "tcp", ["intervals"] = new object[] { "1m" }, ["params"] = "host" },
            },
            ["max_concurrency"] = 0,
        });

        _ = new IntervalPlugin(PluginContexts.Create("collectors.interval", config, _time, _directory.Path));

        Assert.That(config.Problems.Select(p => $"{p.KeyPath}: {p.Message}"), Is.EquivalentTo(new[]
        {
            "collectors.interval.jobs[0].intervals: interval 1 (0) must be at least 1 second",
            "collectors.interval.jobs[1].intervals: is required: a list of durations, e.g. [\"30s\", \"5m\"]",
            "collectors.interval.jobs[2].id: job id 'a' is used by another job",
            "collectors.interval.jobs[3].params: expected a table of probe parameters, got string",
            "collectors.interval.max_concurrency: expected an integer from 1 to 10000, got integer 0",
        }));
    }

    private IntervalPlugin Plugin(TestHttpServer? server)
    {
        var values = new Dictionary<string, object?>
        {
            ["store_url"] = "sqlite:///" + _directory.Combine("events.db"),
            ["jobs"] = new object[]
            {
                new Dictionary<string, object?> { ["id"] = "cfg", ["probe"] = "scripted", ["intervals"] = new object[] { "45s" }, ["params"] = new Dictionary<string, object?> { ["account"] = 3 } },
            },
        };
        if (server is not null)
        {
            values["jobs_url"] = new Uri(server.BaseAddress, "/jobs").ToString();
            values["jobs_token"] = "jobs-secret";
            values["remote_probes"] = new[] { "http", "tcp", "scripted" };
        }

        var config = TestConfig.Section("collectors.interval", values);
        var plugin = new IntervalPlugin(
            PluginContexts.Create("collectors.interval", config, _time, _directory.Path, sink: _sink),
            () => [],
            new Dictionary<string, ICollectorProbe> { ["scripted"] = _probe });
        Assert.That(config.Problems, Is.Empty);
        Assert.That(config.FindUnknownKeys(), Is.Empty);
        return plugin;
    }

    private Task<TestHttpServer> JobsServer() => TestHttpServer.StartAsync(async (context, request) =>
    {
        Assert.That(request.Headers["Authorization"], Is.EqualTo("Bearer jobs-secret"));
        context.Response.StatusCode = _status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(_jobs);
    });

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
