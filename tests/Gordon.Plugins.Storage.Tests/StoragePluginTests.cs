using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Storage.Model;
using Gordon.Plugins.Storage.Tests.Support;

namespace Gordon.Plugins.Storage.Tests;

[TestFixture]
public sealed class StoragePluginTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Handle_StoresTheEventInTheDefaultSqliteFileOfTheStateDirectory(CancellationToken cancellationToken)
    {
        await using var harness = new PluginHarness();
        await harness.Plugin.StartAsync(cancellationToken);

        await harness.Plugin.HandleAsync(new TestMessage(FixtureS.Event(0)), cancellationToken);

        Assert.That(File.Exists(Path.Combine(harness.StateDirectory, "events.db")), Is.True);
        var stored = await harness.Plugin.Store!.GetEventsAsync(EventFilter.All, Pagination.None, cancellationToken).ToListAsync(cancellationToken);
        Assert.That(stored.Select(e => e.MessageId), Is.EqualTo(new[] { FixtureS.Id(0) }));
        Assert.That(harness.Metrics.Counter("storage-events-recorded"), Is.EqualTo(1));
        Assert.That(harness.Plugin.GetHealth(), Is.EqualTo(PluginHealth.Healthy));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Handle_Duplicate_SucceedsAndIsCounted(CancellationToken cancellationToken)
    {
        await using var harness = new PluginHarness();
        await harness.Plugin.StartAsync(cancellationToken);

        await harness.Plugin.HandleAsync(new TestMessage(FixtureS.Event(0)), cancellationToken);
        await harness.Plugin.HandleAsync(new TestMessage(FixtureS.Event(0)), cancellationToken);

        Assert.That(harness.Metrics.Counter("storage-events-duplicate"), Is.EqualTo(1));
        Assert.That(harness.Metrics.Counter("storage-events-recorded"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Handle_InvalidEvent_IsAPermanentFailureNamingTheReason(CancellationToken cancellationToken)
    {
        await using var harness = new PluginHarness();
        await harness.Plugin.StartAsync(cancellationToken);

        var ex = Assert.ThrowsAsync<PermanentFailureException>(async () =>
            await harness.Plugin.HandleAsync(new TestMessage(FixtureS.Simple(new string('x', 300))), cancellationToken));

        Assert.That(ex!.Message, Does.Contain("message_id is 300 characters long; at most 255 can be stored"));
        Assert.That(harness.Metrics.Counter("storage-events-invalid"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Handle_ConcurrentMessages_AreWrittenInSharedBatches(CancellationToken cancellationToken)
    {
        await using var harness = new PluginHarness(("batch_size", 50L));
        await harness.Plugin.StartAsync(cancellationToken);

        // Eight concurrent callers, as a publish phase with eight workers.
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(
            async () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    await harness.Plugin.HandleAsync(new TestMessage(FixtureS.Simple($"w{w}-{i}")), cancellationToken);
                }
            },
            cancellationToken));
        await Task.WhenAll(workers);

        var sizes = harness.Metrics.Observed("storage-batch-size");
        Assert.That(sizes.Sum(), Is.EqualTo(400));
        Assert.That(sizes.Max(), Is.GreaterThan(1), "concurrent events share transactions");
        Assert.That(sizes.Count, Is.LessThan(400));
        Assert.That(await harness.Plugin.Store!.GetEventsAsync(EventFilter.All, Pagination.None, cancellationToken).CountAsync(cancellationToken), Is.EqualTo(400));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task DatabaseUnreachable_HandleThrowsARetryableErrorAndHealthIsDegradedWithDetail(CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        await using var harness = new PluginHarness(("url", $"postgresql://postgres@127.0.0.1:{port}/gordon?Timeout=2"));
        await harness.Plugin.StartAsync(cancellationToken);

        var ex = Assert.ThrowsAsync<Npgsql.NpgsqlException>(async () => await harness.Plugin.HandleAsync(new TestMessage(FixtureS.Event(0)), cancellationToken));

        Assert.That(ex, Is.Not.InstanceOf<PermanentFailureException>());
        var health = harness.Plugin.GetHealth();
        Assert.That(health.State, Is.EqualTo(PluginHealthState.Degraded));
        Assert.That(health.Detail, Does.Contain($"database postgresql://postgres@127.0.0.1:{port}/gordon unreachable"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task DatabaseFailsThenComesBack_HealthReturnsToHealthy(CancellationToken cancellationToken)
    {
        await using var harness = new PluginHarness(("url", "sqlite://db/events.db"));
        var blocker = Path.Combine(harness.StateDirectory, "db");
        await File.WriteAllTextAsync(blocker, "a file where the directory should be", cancellationToken);
        await harness.Plugin.StartAsync(cancellationToken);

        Assert.CatchAsync(async () => await harness.Plugin.HandleAsync(new TestMessage(FixtureS.Event(0)), cancellationToken));
        Assert.That(harness.Plugin.GetHealth().State, Is.EqualTo(PluginHealthState.Degraded));

        File.Delete(blocker);
        await harness.Plugin.HandleAsync(new TestMessage(FixtureS.Event(0)), cancellationToken);

        Assert.That(harness.Plugin.GetHealth(), Is.EqualTo(PluginHealth.Healthy));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Ttl_ExpiresOldEventsEveryInterval(CancellationToken cancellationToken)
    {
        await using var harness = new PluginHarness(("ttl", "1h"), ("expire_interval", "10m"));
        await harness.Plugin.StartAsync(cancellationToken);
        var now = harness.Time.GetUtcNow();
        await harness.Plugin.HandleAsync(new TestMessage(FixtureS.Simple("old", generated: now.AddHours(-2))), cancellationToken);
        await harness.Plugin.HandleAsync(new TestMessage(FixtureS.Simple("new", generated: now)), cancellationToken);

        harness.Time.Advance(TimeSpan.FromMinutes(10));
        while (harness.Metrics.Counter("storage-events-expired") == 0)
        {
            await Task.Delay(10, cancellationToken);
        }

        var left = await harness.Plugin.Store!.GetEventsAsync(EventFilter.All, Pagination.None, cancellationToken).ToListAsync(cancellationToken);
        Assert.That(left.Select(e => e.MessageId), Is.EqualTo(new[] { "new" }));
    }

    [TestCase("url", "oracle://x", "unknown storage URL scheme 'oracle'")]
    [TestCase("batch_size", 0L, "expected an integer from 1 to 10000")]
    [TestCase("batch_window", "forever", "expected a duration")]
    [TestCase("expire_interval", "0s", "of at least 1s")]
    [TestCase("sqlite_synchronous", "sometimes", "expected one of \"full\", \"normal\"")]
    public void Config_BadValue_IsAProblemNamingTheKey(string key, object value, string message)
    {
        var harness = new PluginHarness((key, value));

        Assert.That(harness.Config.Problems.Select(p => p.ToString()), Has.One.Contains($"key 'storage.{key}'").And.Contains(message));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task UpgradeCommand_MigratesThenReportsUpToDate(CancellationToken cancellationToken)
    {
        await using var harness = new PluginHarness();

        var first = await harness.RunAsync(["storage", "upgrade"], []);
        var second = await harness.RunAsync(["storage", "upgrade"], []);

        Assert.That(first, Is.EqualTo((0, $"sqlite://{harness.StateDirectory}/events.db: schema upgraded from version 0 to 1\n", string.Empty)));
        Assert.That(second.Output, Does.EndWith("schema version 1, up to date\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ExpireCommand_DeletesOlderEventsAndSaysHowMany(CancellationToken cancellationToken)
    {
        await using var harness = new PluginHarness();
        await harness.Plugin.StartAsync(cancellationToken);
        var now = harness.Time.GetUtcNow();
        foreach (var hoursAgo in new[] { 50, 49, 1 })
        {
            await harness.Plugin.HandleAsync(new TestMessage(FixtureS.Simple($"h{hoursAgo}", generated: now.AddHours(-hoursAgo))), cancellationToken);
        }

        var limited = await harness.RunAsync(["storage", "expire"], new() { ["--ttl"] = "2d", ["--max-count"] = "1" });
        var rest = await harness.RunAsync(["storage", "expire"], new() { ["--ttl"] = "2d" });

        Assert.That(limited.Output, Does.EndWith(": 1 events older than 2d removed\n"));
        Assert.That(rest.Output, Does.EndWith(": 1 events older than 2d removed\n"));
        var left = await harness.Plugin.Store!.GetEventsAsync(EventFilter.All, Pagination.None, cancellationToken).ToListAsync(cancellationToken);
        Assert.That(left.Select(e => e.MessageId), Is.EqualTo(new[] { "h1" }));
    }

    [TestCase("soon", null, "--ttl must be a duration such as 30d")]
    [TestCase("30d", "-5", "--max-count must be a positive integer, got '-5'")]
    public async Task ExpireCommand_BadOption_IsAUsageError(string ttl, string? maxCount, string message)
    {
        await using var harness = new PluginHarness();
        var options = new Dictionary<string, string> { ["--ttl"] = ttl };
        if (maxCount is not null)
        {
            options["--max-count"] = maxCount;
        }

        var (exit, _, error) = await harness.RunAsync(["storage", "expire"], options);

        Assert.That((exit, error), Is.EqualTo((2, $"gordon storage expire: {message}")).Using<(int, string)>((a, b) => a.Item1 == b.Item1 && a.Item2.Contains(b.Item2, StringComparison.Ordinal)));
    }
}
