using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Interval.Probes;
using Gordon.Plugins.Collectors.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Collectors.Tests.Interval.Probes;

/// <summary>The built-in probes against in-test servers, real programs and an SQLite database.</summary>
public sealed class ProbeTests
{
    private TempDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = new TempDirectory();

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public async Task Http_ReportsUpStatusLatencyAndTheNumberAtTheJsonPath()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => context.Response.WriteAsJsonAsync(new { data = new { items = new[] { new { value = 17.5 } } } }));
        using var probe = new HttpProbe();

        var samples = await probe.RunAsync(Invocation($$$"""{"url":"{{{server.BaseAddress}}}health","json_path":"$.data.items[0].value","headers":{"X-Test":"1"}}"""), CancellationToken.None);

        var values = samples.Single().Values.ToDictionary(t => t.Name, t => t.Value);
        Assert.Multiple(() =>
        {
            Assert.That(values["up"], Is.EqualTo(1L));
            Assert.That(values["status"], Is.EqualTo(200L));
            Assert.That(values["latency"], Is.TypeOf<double>().And.GreaterThanOrEqualTo(0));
            Assert.That(values["value"], Is.EqualTo(17.5));
            Assert.That(server.Requests.Single().Path, Is.EqualTo("/health"));
            Assert.That(server.Requests.Single().Headers["X-Test"], Is.EqualTo("1"));
        });
    }

    [Test]
    public async Task Http_ServerError_IsDownWithItsStatus()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        using var probe = new HttpProbe();

        var values = (await probe.RunAsync(Invocation($$"""{"url":"{{server.BaseAddress}}"}"""), CancellationToken.None)).Single().Values.ToDictionary(t => t.Name, t => t.Value);

        Assert.That((values["up"], values["status"]), Is.EqualTo((0L, 503L)));
    }

    [Test]
    public async Task Http_NoAnswerWithinTheTimeout_IsDownWithAnError()
    {
        var time = new FakeTimeProvider();
        var hang = new TaskCompletionSource();
        await using var server = await TestHttpServer.StartAsync(async (context, _) => await hang.Task.WaitAsync(context.RequestAborted));
        using var probe = new HttpProbe();

        var running = probe.RunAsync(Invocation($$"""{"url":"{{server.BaseAddress}}","timeout":"3s"}""", time), CancellationToken.None);
        await WaitUntilAsync(() => !server.Requests.IsEmpty);
        time.Advance(TimeSpan.FromSeconds(3));
        var values = (await running.WaitAsync(TimeSpan.FromSeconds(10))).Single().Values.ToDictionary(t => t.Name, t => t.Value);

        Assert.That(values["up"], Is.EqualTo(0L));
        Assert.That(values["error"], Is.EqualTo("no answer within 3 s"));
    }

    [TestCase("""{}""", "params.url is required")]
    [TestCase("""{"url":"ftp://127.0.0.1/"}""", "is not an http or https URL")]
    [TestCase("""{"url":"http://127.0.0.1/","timeout":"soon"}""", "params.timeout must be a duration")]
    [TestCase("""{"url":"http://127.0.0.1/","json_path":"a..b"}""", "params.json_path")]
    public void Http_BadParams_AreRejectedNamingTheParameter(string parameters, string expected)
    {
        using var probe = new HttpProbe();

        Assert.That(((ICollectorProbe)probe).ValidateParameters(Json(parameters)), Does.Contain(expected));
    }

    [Test]
    public async Task Tcp_ConnectsAndReportsTheLatency()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var values = (await new TcpProbe().RunAsync(Invocation($$"""{"host":"127.0.0.1","port":{{port}}}"""), CancellationToken.None)).Single().Values.ToDictionary(t => t.Name, t => t.Value);

        Assert.That(values["up"], Is.EqualTo(1L));
        Assert.That(values["latency"], Is.TypeOf<double>());
    }

    [Test]
    public async Task Tcp_NothingListening_IsDown()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var values = (await new TcpProbe().RunAsync(Invocation($$"""{"host":"127.0.0.1","port":{{port}}}"""), CancellationToken.None)).Single().Values.ToDictionary(t => t.Name, t => t.Value);

        Assert.That(values["up"], Is.EqualTo(0L));
        Assert.That(values["error"], Is.Not.Empty);
    }

    [TestCase("""{"host":"127.0.0.1"}""", "params.port is required")]
    [TestCase("""{"host":"127.0.0.1","port":70000}""", "params.port must be an integer from 1 to 65535")]
    [TestCase("""{"port":80}""", "params.host is required")]
    public void Tcp_BadParams_AreRejectedNamingTheParameter(string parameters, string expected) =>
        Assert.That(((ICollectorProbe)new TcpProbe()).ValidateParameters(Json(parameters)), Does.Contain(expected));

    [Test]
    public async Task Command_NumberOnStdout_IsTheValue()
    {
        var values = (await new CommandProbe().RunAsync(Invocation("""{"command":"/bin/echo","args":["42"]}"""), CancellationToken.None)).Single().Values.ToDictionary(t => t.Name, t => t.Value);

        Assert.That(values["value"], Is.EqualTo(42L));
        Assert.That(values.ContainsKey("duration"), Is.True);
    }

    [Test]
    public async Task Command_FlatJsonObject_GivesOneTraitPerKey()
    {
        var values = (await new CommandProbe().RunAsync(
            Invocation("""{"command":"/bin/sh","args":["-c","printf '{\"queue\": 12, \"load\": 0.5, \"ok\": true, \"name\": \"db1\", \"gone\": null}'"]}"""),
            CancellationToken.None)).Single().Values.Select(t => t.ToString()).ToList();

        Assert.That(values.Take(4), Is.EqualTo(new[] { "queue(Integer)=12", "load(Float)=0.5", "ok(Integer)=1", "name(String)=db1" }));
    }

    [TestCase("not a number", "neither a number nor a JSON object")]
    [TestCase("""{"nested": {"a": 1}}""", "must be flat")]
    [TestCase("[1, 2]", "neither a number nor a JSON object")]
    public void Command_UnreadableOutput_FailsTheRunWithTheReason(string output, string expected) =>
        Assert.That(() => CommandProbe.Parse(output), Throws.TypeOf<FormatException>().With.Message.Contains(expected));

    [Test]
    public void Command_NonZeroExit_FailsTheRunWithStderr()
    {
        Assert.That(
            async () => await new CommandProbe().RunAsync(Invocation("""{"command":"/bin/sh","args":["-c","echo disk missing >&2; exit 3"]}"""), CancellationToken.None),
            Throws.InvalidOperationException.With.Message.Contains("exited with code 3: disk missing"));
    }

    [Test]
    public async Task Command_RunningPastTheTimeout_IsKilled()
    {
        var time = new FakeTimeProvider();
        var marker = _directory.Combine("started");
        var running = new CommandProbe().RunAsync(
            Invocation($$"""{"command":"/bin/sh","args":["-c","touch {{marker}}; exec sleep 30"],"timeout":"2s"}""", time),
            CancellationToken.None);
        await WaitUntilAsync(() => File.Exists(marker));

        time.Advance(TimeSpan.FromSeconds(2));

        Assert.That(async () => await running.WaitAsync(TimeSpan.FromSeconds(10)), Throws.TypeOf<TimeoutException>().With.Message.Contains("was killed"));
    }

    [Test]
    public async Task Sql_OneEventPerRow_TypedColumns_SeriesFromTheLabelColumn()
    {
        var store = new EventStoreFile(_directory.Combine("data.db"));
        store.Execute("""
            CREATE TABLE queues (name TEXT, depth INTEGER, rate REAL, note TEXT);
            INSERT INTO queues VALUES ('orders', 12, 0.5, NULL), ('billing', 3, 1.25, 'slow');
            """);
        var probe = new SqlProbe(store.Url, _directory.Path);

        var samples = await probe.RunAsync(Invocation("""{"query":"SELECT name, depth, rate, note FROM queues ORDER BY name","label_column":"name"}"""), CancellationToken.None);

        Assert.That(samples.Select(s => string.Join(" ", s.Values.Select(v => v.ToString()))), Is.EqualTo(new[]
        {
            "series(String)=billing name(String)=billing depth(Integer)=3 rate(Float)=1.25 note(String)=slow",
            "series(String)=orders name(String)=orders depth(Integer)=12 rate(Float)=0.5",
        }));
    }

    [Test]
    public async Task Sql_ReadsTheEventStoreByDefault_AndStopsAtMaxRows()
    {
        var store = new EventStoreFile(_directory.Combine("events.db"));
        for (var i = 0; i < 5; i++)
        {
            store.Add("hello.greeting", DateTimeOffset.UnixEpoch.AddDays(i));
        }

        var probe = new SqlProbe(store.Url, _directory.Path);

        var samples = await probe.RunAsync(Invocation("""{"query":"SELECT id FROM event ORDER BY id","max_rows":3}"""), CancellationToken.None);

        Assert.That(samples.Select(s => s.Values[0].ToString() + " " + s.Values[1].ToString()), Is.EqualTo(new[] { "series(String)=0 id(Integer)=1", "series(String)=1 id(Integer)=2", "series(String)=2 id(Integer)=3" }));
    }

    [Test]
    public void Sql_WritingQuery_IsRefusedByTheReadOnlyConnection()
    {
        var store = new EventStoreFile(_directory.Combine("data.db"));
        var probe = new SqlProbe(store.Url, _directory.Path);

        Assert.That(
            async () => await probe.RunAsync(Invocation("""{"query":"DELETE FROM event"}"""), CancellationToken.None),
            Throws.InstanceOf<Microsoft.Data.Sqlite.SqliteException>().With.Message.Contains("readonly"));
    }

    [TestCase("""{}""", "params.query is required")]
    [TestCase("""{"query":"SELECT 1","url":"oracle://x"}""", "params.url: unsupported database scheme 'oracle'")]
    [TestCase("""{"query":"SELECT 1","max_rows":0}""", "params.max_rows must be an integer from 1 to 100000")]
    public void Sql_BadParams_AreRejectedNamingTheParameter(string parameters, string expected) =>
        Assert.That(((ICollectorProbe)new SqlProbe("sqlite:////tmp/none.db", "/")).ValidateParameters(Json(parameters)), Does.Contain(expected));

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static ProbeInvocation Invocation(string parameters, TimeProvider? time = null) => new()
    {
        JobId = "job",
        Parameters = Json(parameters),
        AffectingIntervals = [TimeSpan.FromSeconds(30)],
        ScheduledTime = DateTimeOffset.UnixEpoch,
        TimeProvider = time ?? TimeProvider.System,
        Logger = NullLogger.Instance,
    };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
