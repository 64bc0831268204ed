using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Plugins.Collectors.Grafolean;
using Gordon.Plugins.Collectors.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Collectors.Tests.Grafolean;

/// <summary>Part C, sending results: the exact request, batching per account, nothing for nothing, retries and failures.</summary>
public sealed class GrafoleanPluginTests
{
    private const string Token = "bot-token/+=";

    private TempDirectory _directory = null!;
    private FakeTimeProvider _time = null!;
    private RecordingLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _time = new FakeTimeProvider();
        _logger = new RecordingLogger();
    }

    [TearDown]
    public void TearDown()
    {
        _logger.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task Handle_PostsTheValuesAsAJsonListOfPathAndValue_ToTheAccountWithTheToken()
    {
        await using var server = await TestHttpServer.StartAsync((_, _) => Task.CompletedTask);
        using var plugin = Plugin(server);

        await plugin.HandleAsync(
            TestMessage.Collector("m1", Trait.String("job", "web"), Trait.String("account", "7"), Trait.String("path_prefix", "entity.5.http"),
                Trait.Integer("up", 1), Trait.Integer("status", 200), Trait.Float("latency", 0.25), Trait.String("error", "ignored"), Trait.Float("nan", double.NaN)),
            CancellationToken.None);

        var request = server.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Path, Is.EqualTo("/api/accounts/7/values/"));
            Assert.That(request.Query, Is.EqualTo("?b=" + Uri.EscapeDataString(Token)));
            Assert.That(request.Headers["Content-Type"], Does.StartWith("application/json"));
            Assert.That(request.BodyText, Is.EqualTo("""[{"p":"entity.5.http.up","v":1},{"p":"entity.5.http.status","v":200},{"p":"entity.5.http.latency","v":0.25}]"""));
        });
    }

    [Test]
    public async Task Handle_WithoutPathPrefix_UsesCollectorJob_AndTheSeriesOfSqlRows_AndTheConfiguredAccount()
    {
        await using var server = await TestHttpServer.StartAsync((_, _) => Task.CompletedTask);
        using var plugin = Plugin(server, account: 3);

        await plugin.HandleAsync(TestMessage.Collector("m1", Trait.String("job", "db queues"), Trait.String("series", "orders"), Trait.Integer("depth", 12)), CancellationToken.None);

        var request = server.Requests.Single();
        Assert.That(request.Path, Is.EqualTo("/api/accounts/3/values/"));
        Assert.That(request.BodyText, Is.EqualTo("""[{"p":"collector.db_queues.orders.depth","v":12}]"""));
    }

    [Test]
    public async Task Handle_NoNumericValues_SendsNothing()
    {
        await using var server = await TestHttpServer.StartAsync((_, _) => Task.CompletedTask);
        using var plugin = Plugin(server, account: 3);

        await plugin.HandleAsync(TestMessage.Collector("m1", Trait.String("job", "web"), Trait.String("error", "connection refused")), CancellationToken.None);

        Assert.That(server.Requests, Is.Empty);
        Assert.That(_logger.Entries.Select(e => e.Message), Has.One.Contains("no results available"));
    }

    [Test]
    public async Task Handle_OtherEventTypes_AreNotSent()
    {
        await using var server = await TestHttpServer.StartAsync((_, _) => Task.CompletedTask);
        using var plugin = Plugin(server, account: 3);

        await plugin.HandleAsync(new TestMessage(new Event { MessageId = "b", EventType = "burrow.consumer_status", Generated = DateTimeOffset.UnixEpoch, Traits = [Trait.Integer("totallag", 5)] }), CancellationToken.None);

        Assert.That(server.Requests, Is.Empty);
    }

    [Test]
    public async Task Handle_ValuesArrivingDuringASend_GoTogetherInTheNextPostForTheirAccount()
    {
        var firstHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestHttpServer.StartAsync(async (_, request) =>
        {
            if (request.BodyText.Contains("first", StringComparison.Ordinal))
            {
                firstHeld.SetResult();
                await releaseFirst.Task;
            }
        });
        using var plugin = Plugin(server);

        var first = plugin.HandleAsync(Message("first", "1", 1), CancellationToken.None).AsTask();
        await firstHeld.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var waiting = new[]
        {
            plugin.HandleAsync(Message("a", "1", 2), CancellationToken.None).AsTask(),
            plugin.HandleAsync(Message("b", "1", 3), CancellationToken.None).AsTask(),
            plugin.HandleAsync(Message("other", "2", 4), CancellationToken.None).AsTask(),
        };
        await WaitUntilAsync(() => server.Requests.Count == 2);
        Assert.That(waiting[0].IsCompleted || waiting[1].IsCompleted, Is.False, "account 1's values wait for the POST in flight");
        releaseFirst.SetResult();
        await Task.WhenAll([first, .. waiting]).WaitAsync(TimeSpan.FromSeconds(10));

        var posts = server.Requests.Select(r => (r.Path, r.BodyText)).ToList();
        Assert.That(posts, Is.EquivalentTo(new[]
        {
            ("/api/accounts/1/values/", """[{"p":"collector.first.v","v":1}]"""),
            ("/api/accounts/2/values/", """[{"p":"collector.other.v","v":4}]"""),
            ("/api/accounts/1/values/", """[{"p":"collector.a.v","v":2},{"p":"collector.b.v","v":3}]"""),
        }));
    }

    [Test]
    public async Task Handle_ServerErrorThenSuccess_RetriesWithBackoff()
    {
        var attempts = 0;
        await using var server = await TestHttpServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = Interlocked.Increment(ref attempts) == 1 ? 502 : 200;
            return Task.CompletedTask;
        });
        // A long attempt timeout: the fake clock moves while the retry is in flight.
        using var plugin = Plugin(server, account: 1, timeout: "1h");

        var handling = plugin.HandleAsync(Message("m", "1", 1), CancellationToken.None).AsTask();
        await WaitUntilAsync(() => _logger.Entries.Any(e => e.Message.Contains("retrying in 1 s", StringComparison.Ordinal)));
        Assert.That(server.Requests, Has.Count.EqualTo(1));
        while (server.Requests.Count == 1)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(1);
        }

        await handling.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Multiple(() =>
        {
            Assert.That(server.Requests, Has.Count.EqualTo(2));
            Assert.That(_logger.Entries.Select(e => e.Message), Has.All.Not.Contains(Token));
            Assert.That(_logger.Entries.Select(e => e.Message), Has.Some.Contains("?b=***"));
        });
    }

    [Test]
    public async Task Handle_ClientError_IsAPermanentFailureNamingStatusAndBody_AndOnlyTheBadMessageFails()
    {
        var holdFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestHttpServer.StartAsync(async (context, request) =>
        {
            if (request.BodyText.Contains("hold", StringComparison.Ordinal))
            {
                holdFirst.SetResult();
                await release.Task;
                return;
            }

            if (request.BodyText.Contains("bad", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("Invalid path");
            }
        });
        using var plugin = Plugin(server, account: 1);
        var held = plugin.HandleAsync(Message("hold", "1", 0), CancellationToken.None).AsTask();
        await holdFirst.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var bad = plugin.HandleAsync(Message("bad", "1", 1), CancellationToken.None).AsTask();
        var good = plugin.HandleAsync(Message("good", "1", 2), CancellationToken.None).AsTask();
        release.SetResult();

        await held.WaitAsync(TimeSpan.FromSeconds(10));
        await good.WaitAsync(TimeSpan.FromSeconds(10));
        var error = Assert.ThrowsAsync<PermanentFailureException>(async () => await bad.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(error!.Message, Is.EqualTo("POST /api/accounts/1/values/?b=*** answered 400: Invalid path"));
    }

    [Test]
    public async Task Handle_NoAnswerAndNoRetriesLeft_FailsSoTheRouterRetries()
    {
        var hang = new TaskCompletionSource();
        await using var server = await TestHttpServer.StartAsync(async (context, _) => await hang.Task.WaitAsync(context.RequestAborted));
        using var plugin = Plugin(server, account: 1, retries: 0);

        var handling = plugin.HandleAsync(Message("m", "1", 1), CancellationToken.None).AsTask();
        await WaitUntilAsync(() => !server.Requests.IsEmpty);
        _time.Advance(TimeSpan.FromSeconds(10));

        var error = Assert.ThrowsAsync<HttpRequestException>(async () => await handling.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(error!.Message, Is.EqualTo("POST /api/accounts/1/values/?b=*** gave no answer within 10 s"));
        Assert.That(plugin.GetHealth().State, Is.EqualTo(Gordon.Abstractions.Plugins.PluginHealthState.Degraded));
    }

    [Test]
    public void Handle_NoAccountAnywhere_IsAPermanentFailure()
    {
        using var plugin = new GrafoleanPlugin(PluginContexts.Create("grafolean", TestConfig.Section("grafolean", new Dictionary<string, object?> { ["url"] = "http://127.0.0.1:1/api", ["token"] = "t" }), _time, _directory.Path));

        Assert.ThrowsAsync<PermanentFailureException>(async () => await plugin.HandleAsync(TestMessage.Collector("m", Trait.String("job", "x"), Trait.Integer("v", 1)), CancellationToken.None));
    }

    [Test]
    public async Task Config_TokenFile_IsReadAndTrimmed()
    {
        var file = _directory.Combine("token");
        await File.WriteAllTextAsync(file, Token + "\n");
        await using var server = await TestHttpServer.StartAsync((_, _) => Task.CompletedTask);
        var config = TestConfig.Section("grafolean", new Dictionary<string, object?> { ["url"] = new Uri(server.BaseAddress, "/api").ToString(), ["token_file"] = file, ["account"] = 1 });
        using var plugin = new GrafoleanPlugin(PluginContexts.Create("grafolean", config, _time, _directory.Path));

        await plugin.HandleAsync(Message("m", "1", 1), CancellationToken.None);

        Assert.That(server.Requests.Single().Query, Is.EqualTo("?b=" + Uri.EscapeDataString(Token)));
    }

    [Test]
    public void Config_MissingUrlAndToken_AreReported()
    {
        var config = TestConfig.Section("grafolean", new Dictionary<string, object?> { ["account"] = "seven" });

        using var plugin = new GrafoleanPlugin(PluginContexts.Create("grafolean", config, _time, _directory.Path));

        Assert.That(config.Problems.Select(p => p.KeyPath), Is.EquivalentTo(new[] { "grafolean.url", "grafolean.token", "grafolean.account" }));
    }

    private static TestMessage Message(string job, string account, long value) =>
        TestMessage.Collector("m-" + job, Trait.String("job", job), Trait.String("account", account), Trait.Integer("v", value));

    private GrafoleanPlugin Plugin(TestHttpServer server, int? account = null, int retries = 3, string timeout = "10s")
    {
        var values = new Dictionary<string, object?>
        {
            ["url"] = new Uri(server.BaseAddress, "/api").ToString(),
            ["token"] = Token,
            ["retries"] = retries,
            ["timeout"] = timeout,
        };
        if (account is { } a)
        {
            values["account"] = a;
        }

        var config = TestConfig.Section("grafolean", values);
        var plugin = new GrafoleanPlugin(PluginContexts.Create("grafolean", config, _time, _directory.Path, logger: _logger));
        Assert.That(config.Problems, Is.Empty);
        return plugin;
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
