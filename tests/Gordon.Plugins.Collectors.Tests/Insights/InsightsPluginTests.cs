using System.Text.Json.Nodes;
using Gordon.Abstractions.Commands;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Collectors.Insights;
using Gordon.Plugins.Collectors.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Collectors.Tests.Insights;

/// <summary>The plugin end to end: built-in collectors over an SQLite store, <c>gordon collect</c>, the schedule.</summary>
public sealed class InsightsPluginTests
{
    private static readonly DateTimeOffset Now = new(2024, 3, 10, 12, 30, 0, TimeSpan.Zero);

    private TempDirectory _directory = null!;
    private FakeTimeProvider _time = null!;
    private EventStoreFile _store = null!;
    private RecordingMetrics _metrics = null!;

    [SetUp]
    public void SetUp()
    {
        _metrics = new RecordingMetrics();
        _directory = new TempDirectory();
        _time = new FakeTimeProvider(Now);
        _store = new EventStoreFile(_directory.Combine("events.db"));
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public async Task CollectDryRun_BuildsTarballsOfTheBuiltInCollectors_ByteForByte()
    {
        var day = new DateTimeOffset(2024, 3, 9, 0, 0, 0, TimeSpan.Zero);
        _store.Add("burrow.consumer_status", day.AddHours(1).AddMinutes(5), Lag("kafka-1", "billing", "OK", 10));
        _store.Add("burrow.consumer_status", day.AddHours(1).AddMinutes(50), Lag("kafka-1", "billing", "WARN", 250));
        _store.Add("burrow.consumer_status", day.AddHours(3), Lag("kafka-1", "orders, \"eu\"", "OK", 0));
        _store.Add("hello.greeting", day.AddHours(1).AddMinutes(7));
        _store.Add("burrow.consumer_status", day.AddDays(1).AddHours(2), Lag("kafka-2", "billing", "ERR", 99));
        _store.Add("hello.greeting", day.AddDays(-30));
        using var plugin = Plugin();

        var (code, output, error) = await RunAsync(plugin, "--dry-run", "--dest", _directory.Combine("out"), "--since", "2024-03-09", "--until", "2024-03-10T12:00:00Z");

        Assert.That(code, Is.EqualTo(0), error);
        var paths = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[..^1];
        Assert.That(paths.Select(Path.GetFileName), Is.EqualTo(new[]
        {
            "gordon-analytics-2024-03-10-120000+0000-0.tar.gz",
            "gordon-analytics-2024-03-10-120000+0000-1.tar.gz",
        }));
        var tarballs = new List<IReadOnlyList<TarMember>>();
        foreach (var path in paths)
        {
            tarballs.Add(await TarMember.ReadAllAsync(await File.ReadAllBytesAsync(path)));
        }

        // By name, ConsumerLagCollector comes before EventsByTypeCollector: its file joins the first package, which
        // the first day slice of events_by_type then closes and ships; the second day gets a tarball of its own.
        Assert.Multiple(() =>
        {
            Assert.That(tarballs[0].Select(m => m.Name), Is.EqualTo(new[]
            {
                "./plugins.json", "./consumer_lag.csv", "./events_by_type.csv", "./config.json", "./data_collection_status.csv", "./manifest.json",
            }));
            Assert.That(tarballs[1].Select(m => m.Name), Is.EqualTo(new[] { "./events_by_type.csv", "./config.json", "./data_collection_status.csv", "./manifest.json" }));
            Assert.That(Member(tarballs[0], "./events_by_type.csv"), Is.EqualTo(
                "hour,event_type,count\n"
                + "2024-03-09T01:00:00.000000Z,burrow.consumer_status,2\n"
                + "2024-03-09T01:00:00.000000Z,hello.greeting,1\n"
                + "2024-03-09T03:00:00.000000Z,burrow.consumer_status,1\n"));
            Assert.That(Member(tarballs[1], "./events_by_type.csv"), Is.EqualTo(
                "hour,event_type,count\n2024-03-10T02:00:00.000000Z,burrow.consumer_status,1\n"));
            Assert.That(Member(tarballs[0], "./consumer_lag.csv"), Is.EqualTo(
                "cluster,group,status,totallag,generated\n"
                + "kafka-1,billing,WARN,250,2024-03-09T01:50:00.000000Z\n"
                + "kafka-1,\"orders, \"\"eu\"\"\",OK,0,2024-03-09T03:00:00.000000Z\n"
                + "kafka-2,billing,ERR,99,2024-03-10T02:00:00.000000Z\n"));
            Assert.That(Member(tarballs[0], "./config.json"), Is.EqualTo(new TestDaemonInfo().ConfigJson));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(Member(tarballs[0], "./plugins.json")), JsonNode.Parse("""
                {"daemon_version":"9.8.7","plugins":[
                  {"name":"burrow","kind":"runnable","phase":null,"version":"0.1.0","state":"running"},
                  {"name":"prometheus","kind":"handler","phase":"publish","version":"0.1.0","state":"running"}]}
                """)), Is.True);
            Assert.That(output, Does.EndWith("dry run: 2 tarballs built, nothing shipped or saved\n"));
            Assert.That(File.Exists(_directory.Combine("collectors", "insights-state.json")), Is.False);
        });
    }

    [Test]
    public async Task CollectDryRun_StoreMissing_MarksTheStoreCollectorsFailedAndExitsOne()
    {
        File.Delete(_store.Path);
        using var plugin = Plugin();

        var (code, output, _) = await RunAsync(plugin, "--dry-run", "--dest", _directory.Combine("out"));

        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("collections failed"));
    }

    [Test]
    public async Task Collect_WithoutIngress_ExitsWithTheConfigurationCodeAndSaysWhatIsMissing()
    {
        using var plugin = Plugin();

        var (code, _, error) = await RunAsync(plugin);

        Assert.That(code, Is.EqualTo(78));
        Assert.That(error, Does.Contain("ingress_url is not set"));
    }

    [TestCase("--since", "yesterday")]
    [TestCase("--until", "2024-13-01")]
    public async Task Collect_UnreadableTime_IsAUsageError(string option, string value)
    {
        using var plugin = Plugin();

        var (code, _, error) = await RunAsync(plugin, "--dry-run", option, value);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain(option).And.Contain("ISO 8601"));
    }

    [Test]
    public async Task Collect_OnlyAnUnknownCollector_IsAUsageErrorListingTheKnownKeys()
    {
        using var plugin = Plugin();

        var (code, _, error) = await RunAsync(plugin, "--dry-run", "--only", "nope");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("no collector named 'nope' (known keys: config, consumer_lag, events_by_type, plugins)"));
    }

    [Test]
    public async Task Collect_SinceAfterUntil_IsAUsageError()
    {
        using var plugin = Plugin();

        var (code, _, error) = await RunAsync(plugin, "--dry-run", "--since", "2024-03-05", "--until", "2024-03-01");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("must be before until"));
    }

    [Test]
    public async Task Collect_Manual_ShipsToTheIngressAndSavesTheWatermarks()
    {
        await using var ingress = await TestHttpServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 202;
            return Task.CompletedTask;
        });
        using var plugin = Plugin(new Dictionary<string, object?>
        {
            ["ingress_url"] = new Uri(ingress.BaseAddress, "/upload").ToString(),
            ["username"] = "gordon",
            ["password"] = "secret",
        });
        _store.Add("hello.greeting", Now.AddHours(-1));

        var (code, output, error) = await RunAsync(plugin, "--only", "events_by_type");

        Assert.That(code, Is.EqualTo(0), error);
        var state = await plugin.Gatherer.State.LoadAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.EndWith("1 tarballs built, 1 shipped, 0 not shipped\n"));
            Assert.That(ingress.Requests.Single().Headers["Authorization"], Is.EqualTo("Basic Z29yZG9uOnNlY3JldA=="));
            Assert.That(state.Entries["events_by_type"], Is.EqualTo(Now));
            Assert.That(state.LastGather, Is.EqualTo(Now));
        });
    }

    [Test]
    public async Task Schedule_GathersAtStartThenOnceEveryPeriod()
    {
        await using var ingress = await TestHttpServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        using var plugin = Plugin(new Dictionary<string, object?>
        {
            ["ingress_url"] = new Uri(ingress.BaseAddress, "/upload").ToString(),
            ["auth"] = "none",
            ["schedule"] = "4h",
            ["collectors"] = new[] { "plugins" },
        });
        using var stop = new CancellationTokenSource();

        var running = plugin.RunAsync(stop.Token);
        // Until the first gather has finished, the clock stands still (moving it would time out its upload).
        await WaitUntilAsync(() => _metrics.Counter("collectors-insights-gathers") == 1);
        Assert.That(ingress.Requests, Has.Count.EqualTo(1));
        var advanced = TimeSpan.Zero;
        while (ingress.Requests.Count == 1)
        {
            // Once the period is over, give the gather real time to run before the clock moves on (moving it
            // while the upload is in flight would time the upload out).
            if (advanced >= TimeSpan.FromHours(4) && await EventuallyAsync(() => ingress.Requests.Count > 1, TimeSpan.FromSeconds(2)))
            {
                break;
            }

            _time.Advance(TimeSpan.FromMinutes(10));
            advanced += TimeSpan.FromMinutes(10);
            await Task.Delay(1);
            Assert.That(advanced, Is.LessThan(TimeSpan.FromHours(5)), "the second gather never came");
        }

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Multiple(() =>
        {
            Assert.That(advanced, Is.GreaterThanOrEqualTo(TimeSpan.FromHours(4)));
            Assert.That(_metrics.Counter("collectors-insights-gathers", "outcome=ok"), Is.GreaterThanOrEqualTo(1));
            Assert.That(plugin.GetHealth(), Is.EqualTo(PluginHealth.Healthy));
        });
    }

    [Test]
    public void Health_ScheduledWithoutShipping_IsUnhealthyNamingTheMissingKey()
    {
        using var plugin = Plugin(new Dictionary<string, object?> { ["schedule"] = "1h" });

        Assert.That(plugin.GetHealth().State, Is.EqualTo(PluginHealthState.Unhealthy));
        Assert.That(plugin.GetHealth().Detail, Does.Contain("ingress_url is not set"));
    }

    [Test]
    public void Config_BadValues_AreReportedByKey()
    {
        var config = TestConfig.Section("collectors.insights", new Dictionary<string, object?>
        {
            ["store_url"] = "oracle://db",
            ["schedule"] = "10s",
            ["tarball_base"] = "bad/name",
            ["auth"] = "kerberos",
            ["identity"] = "{not json",
            ["lock"] = "store",
        });

        using var plugin = new InsightsPlugin(PluginContexts.Create("collectors.insights", config, _time, _directory.Path));

        Assert.That(config.Problems.Select(p => p.KeyPath), Is.EquivalentTo(new[]
        {
            "collectors.insights.store_url", "collectors.insights.schedule", "collectors.insights.tarball_base", "collectors.insights.auth", "collectors.insights.identity",
            "collectors.insights.lock",
        }));
    }

    [Test]
    public void Discovery_FindsTheBuiltInCollectors()
    {
        using var plugin = Plugin();

        Assert.That(plugin.Gatherer.Collectors.Select(c => (c.Name, c.Key, c.Format.ToString())), Is.EqualTo(new[]
        {
            ("ConfigCollector", "config", "Json"),
            ("ConsumerLagCollector", "consumer_lag", "Csv"),
            ("EventsByTypeCollector", "events_by_type", "Csv"),
            ("PluginsCollector", "plugins", "Json"),
        }));
    }

    private static Dictionary<string, object> Lag(string cluster, string group, string status, long lag) => new()
    {
        ["cluster"] = cluster,
        ["group"] = group,
        ["status"] = status,
        ["totallag"] = lag,
        ["partition_count"] = 3L,
    };

    private static string Member(IReadOnlyList<TarMember> tarball, string name) => tarball.Single(m => m.Name == name).Text;

    private InsightsPlugin Plugin(Dictionary<string, object?>? values = null)
    {
        values ??= [];
        values.TryAdd("store_url", _store.Url);
        values.TryAdd("schedule", "0s");
        var config = TestConfig.Section("collectors.insights", values);
        var plugin = new InsightsPlugin(
            PluginContexts.Create("collectors.insights", config, _time, _directory.Path, daemon: new TestDaemonInfo(), metrics: _metrics),
            () => [typeof(InsightsPlugin).Assembly],
            null);
        Assert.That(config.Problems, Is.Empty);
        Assert.That(config.FindUnknownKeys(), Is.Empty);
        return plugin;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(InsightsPlugin plugin, params string[] args)
    {
        var options = new Dictionary<string, IReadOnlyList<string>>();
        for (var i = 0; i < args.Length; i++)
        {
            var isFlag = args[i] is "--dry-run" or "--keep";
            var values = options.TryGetValue(args[i], out var existing) ? existing.ToList() : [];
            if (!isFlag)
            {
                values.Add(args[++i]);
            }

            options[args[i - (isFlag ? 0 : 1)]] = values;
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var command = plugin.Commands.Single(c => c.Name == "collect");
        var code = await command.Run!(new PluginCommandInvocation(options, new Dictionary<string, string?>(), output, error), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan within)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > within)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
