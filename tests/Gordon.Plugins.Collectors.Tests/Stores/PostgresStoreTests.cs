using System.Text.Json;
using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Insights;
using Gordon.Plugins.Collectors.Interval.Probes;
using Gordon.Plugins.Collectors.Stores;
using Gordon.Plugins.Collectors.Tests.Support;
using Gordon.Plugins.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gordon.Plugins.Collectors.Tests.Stores;

/// <summary>The store queries and the sql probe on a real PostgreSQL (timestamps without time zone holding UTC).</summary>
[Category("PostgreSQL")]
public sealed class PostgresStoreTests
{
    private static readonly DateTimeOffset Day = new(2024, 3, 9, 0, 0, 0, TimeSpan.Zero);

    private PostgresServer _server = null!;
    private string _url = string.Empty;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await PostgresServer.StartAsync();
        var connectionString = await _server.CreateDatabaseAsync();
        _url = $"postgresql://postgres@127.0.0.1:{_server.Port}/{new NpgsqlConnectionStringBuilder(connectionString).Database}";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            CREATE TABLE event_type (id SERIAL PRIMARY KEY, "desc" TEXT NOT NULL UNIQUE);
            CREATE TABLE event (id SERIAL PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, generated TIMESTAMP WITHOUT TIME ZONE NOT NULL, raw TEXT, event_type_id INT NOT NULL REFERENCES event_type(id));
            CREATE TABLE trait_text (event_id INT NOT NULL, key TEXT NOT NULL, value TEXT, PRIMARY KEY (event_id, key));
            CREATE TABLE trait_int (event_id INT NOT NULL, key TEXT NOT NULL, value BIGINT, PRIMARY KEY (event_id, key));
            INSERT INTO event_type ("desc") VALUES ('burrow.consumer_status'), ('hello.greeting');
            INSERT INTO event (message_id, generated, raw, event_type_id) VALUES
              ('a', '2024-03-09 01:05:00', '{}', 1), ('b', '2024-03-09 01:50:00', '{}', 1), ('c', '2024-03-09 01:07:00', '{}', 2),
              ('d', '2024-03-09 03:00:00', '{}', 1), ('e', '2024-03-10 02:00:00', '{}', 1);
            INSERT INTO trait_text VALUES (1, 'cluster', 'k1'), (1, 'group', 'billing'), (1, 'status', 'OK'),
              (2, 'cluster', 'k1'), (2, 'group', 'billing'), (2, 'status', 'WARN'),
              (4, 'cluster', 'k1'), (4, 'group', 'orders'),
              (5, 'cluster', 'k2'), (5, 'group', 'billing'), (5, 'status', 'ERR');
            INSERT INTO trait_int VALUES (1, 'totallag', 10), (2, 'totallag', 250), (4, 'totallag', 0), (5, 'totallag', 99);
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    [OneTimeTearDown]
    public void StopServer() => _server.Dispose();

    [Test]
    public async Task HourlyCounts_GroupByHourAndTypeWithinTheWindow()
    {
        var reader = new EventStoreReader(Url());

        var rows = await reader.HourlyCountsAsync(Day, Day.AddDays(1), CancellationToken.None).ToListAsync();

        Assert.That(rows, Is.EqualTo(new[]
        {
            new EventStoreReader.HourlyCount(Day.AddHours(1), "burrow.consumer_status", 2),
            new EventStoreReader.HourlyCount(Day.AddHours(1), "hello.greeting", 1),
            new EventStoreReader.HourlyCount(Day.AddHours(3), "burrow.consumer_status", 1),
        }));
    }

    [Test]
    public async Task LatestLag_TakesTheNewestReportPerClusterAndGroup()
    {
        var reader = new EventStoreReader(Url());

        var rows = await reader.LatestLagAsync(Day, Day.AddDays(2), CancellationToken.None).ToListAsync();

        Assert.That(rows, Is.EqualTo(new[]
        {
            new EventStoreReader.GroupLag("k1", "billing", "WARN", 250, Day.AddHours(1).AddMinutes(50)),
            new EventStoreReader.GroupLag("k1", "orders", null, 0, Day.AddHours(3)),
            new EventStoreReader.GroupLag("k2", "billing", "ERR", 99, Day.AddDays(1).AddHours(2)),
        }));
    }

    [Test]
    public async Task SqlProbe_ReadsRows_AndRefusesToWrite()
    {
        var probe = new SqlProbe(_url, "/");

        var samples = await probe.RunAsync(Invocation("""{"query":"SELECT key, value FROM trait_int WHERE event_id = 2"}"""), CancellationToken.None);

        Assert.That(samples.Single().Values.Select(v => v.ToString()), Is.EqualTo(new[] { "series(String)=0", "key(String)=totallag", "value(Integer)=250" }));
        Assert.That(
            async () => await probe.RunAsync(Invocation("""{"query":"DELETE FROM event"}"""), CancellationToken.None),
            Throws.InstanceOf<Npgsql.PostgresException>().With.Message.Contains("read-only transaction"));
    }

    [Test]
    public void AdvisoryLockKey_IsTheOriginals()
    {
        // Python: int(hashlib.sha512(b"gather_analytics_lock").hexdigest(), 16) % 2**63
        Assert.That(StoreAdvisoryLock.KeyOf("gather_analytics_lock"), Is.EqualTo(5213266487902095019L));
    }

    [Test]
    public async Task StoreLock_SecondGatherOnAnotherDaemon_IsLocked_AndRunsOnceTheFirstIsDone()
    {
        using var harness = new GatherHarness();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocking = new CollectorDescriptor
        {
            Name = "blocking",
            Key = "blocking",
            Version = "1.0",
            Collect = async (_, cancellationToken) =>
            {
                entered.SetResult();
                await release.Task.WaitAsync(cancellationToken);
                return CollectorOutput.Json(1);
            },
        };
        Gatherer Daemon(params CollectorDescriptor[] collectors) => new(
            new GathererOptions(),
            [TestCollectors.Config(), .. collectors],
            new GatherStateStore(harness.Combine(Guid.NewGuid().ToString("N"))),
            new StoreAdvisoryLock(Url(), "gordon_test_lock"),
            new RecordingShipper(),
            harness.Time,
            harness.Logger,
            daemon: null);

        var first = Daemon(blocking).GatherAsync(new GatherRequest(CollectionMode.DryRun, harness.Combine("a")), CancellationToken.None);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = await Daemon().GatherAsync(new GatherRequest(CollectionMode.DryRun, harness.Combine("b")), CancellationToken.None);
        release.SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(30));
        var third = await Daemon().GatherAsync(new GatherRequest(CollectionMode.DryRun, harness.Combine("c")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(second.Status, Is.EqualTo(GatherStatus.Locked));
            Assert.That(second.Message, Does.Contain("advisory lock 'gordon_test_lock'"));
            Assert.That(third.Status, Is.EqualTo(GatherStatus.Completed));
        });
    }

    private DatabaseUrl Url() => DatabaseUrl.Parse(_url, "/", out _)!;

    private static ProbeInvocation Invocation(string parameters) => new()
    {
        JobId = "pg",
        Parameters = JsonDocument.Parse(parameters).RootElement,
        AffectingIntervals = [TimeSpan.FromSeconds(60)],
        ScheduledTime = DateTimeOffset.UnixEpoch,
        TimeProvider = TimeProvider.System,
        Logger = NullLogger.Instance,
    };
}
