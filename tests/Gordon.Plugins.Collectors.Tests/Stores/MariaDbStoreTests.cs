using System.Text.Json;
using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Interval.Probes;
using Gordon.Plugins.Collectors.Stores;
using Gordon.Plugins.Collectors.Tests.Support;
using Gordon.Plugins.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace Gordon.Plugins.Collectors.Tests.Stores;

/// <summary>The store queries and the sql probe on a real MariaDB (generated as DECIMAL epoch seconds).</summary>
[Category("MariaDB")]
public sealed class MariaDbStoreTests
{
    private static readonly DateTimeOffset Day = new(2024, 3, 9, 0, 0, 0, TimeSpan.Zero);

    private MariaDbServer _server = null!;
    private string _url = string.Empty;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await MariaDbServer.StartAsync();
        var connectionString = await _server.CreateDatabaseAsync();
        _url = $"mysql://root@127.0.0.1:{_server.Port}/{new MySqlConnectionStringBuilder(connectionString).Database}";
        var d = Day.ToUnixTimeSeconds();
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"""
            CREATE TABLE event_type (id INT AUTO_INCREMENT PRIMARY KEY, `desc` VARCHAR(255) NOT NULL UNIQUE);
            CREATE TABLE event (id INT AUTO_INCREMENT PRIMARY KEY, message_id VARCHAR(255) NOT NULL UNIQUE, generated DECIMAL(20,6) NOT NULL, raw TEXT, event_type_id INT NOT NULL);
            CREATE TABLE trait_text (event_id INT NOT NULL, `key` VARCHAR(255) NOT NULL, value TEXT, PRIMARY KEY (event_id, `key`));
            CREATE TABLE trait_int (event_id INT NOT NULL, `key` VARCHAR(255) NOT NULL, value BIGINT, PRIMARY KEY (event_id, `key`));
            INSERT INTO event_type (`desc`) VALUES ('burrow.consumer_status'), ('hello.greeting');
            INSERT INTO event (message_id, generated, raw, event_type_id) VALUES
              ('a', {d + 3900}.25, 'null', 1), ('b', {d + 6600}, 'null', 1), ('c', {d + 4020}, 'null', 2), ('d', {d + 10800}, 'null', 1);
            INSERT INTO trait_text VALUES (1, 'cluster', 'k1'), (1, 'group', 'billing'), (2, 'cluster', 'k1'), (2, 'group', 'billing'), (2, 'status', 'WARN'),
              (4, 'cluster', 'k1'), (4, 'group', 'orders');
            INSERT INTO trait_int VALUES (1, 'totallag', 10), (2, 'totallag', 250), (4, 'totallag', 0);
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    [OneTimeTearDown]
    public void StopServer() => _server.Dispose();

    [Test]
    public async Task HourlyCounts_GroupByHourAndTypeWithinTheWindow()
    {
        var rows = await new EventStoreReader(Url()).HourlyCountsAsync(Day, Day.AddDays(1), CancellationToken.None).ToListAsync();

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
        var rows = await new EventStoreReader(Url()).LatestLagAsync(Day, Day.AddDays(1), CancellationToken.None).ToListAsync();

        Assert.That(rows, Is.EqualTo(new[]
        {
            new EventStoreReader.GroupLag("k1", "billing", "WARN", 250, Day.AddSeconds(6600)),
            new EventStoreReader.GroupLag("k1", "orders", null, 0, Day.AddHours(3)),
        }));
    }

    [Test]
    public async Task SqlProbe_ReadsRows_AndRefusesToWrite()
    {
        var probe = new SqlProbe(_url, "/");

        var samples = await probe.RunAsync(Invocation("""{"query":"SELECT `key`, value FROM trait_int WHERE event_id = 2"}"""), CancellationToken.None);

        Assert.That(samples.Single().Values.Select(v => v.ToString()), Is.EqualTo(new[] { "series(String)=0", "key(String)=totallag", "value(Integer)=250" }));
        Assert.That(
            async () => await probe.RunAsync(Invocation("""{"query":"DELETE FROM event"}"""), CancellationToken.None),
            Throws.InstanceOf<MySqlConnector.MySqlException>().With.Message.Contains("READ ONLY"));
    }

    private DatabaseUrl Url() => DatabaseUrl.Parse(_url, "/", out _)!;

    private static ProbeInvocation Invocation(string parameters) => new()
    {
        JobId = "maria",
        Parameters = JsonDocument.Parse(parameters).RootElement,
        AffectingIntervals = [TimeSpan.FromSeconds(60)],
        ScheduledTime = DateTimeOffset.UnixEpoch,
        TimeProvider = TimeProvider.System,
        Logger = NullLogger.Instance,
    };
}
