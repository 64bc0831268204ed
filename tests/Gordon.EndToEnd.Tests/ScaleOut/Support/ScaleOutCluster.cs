using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Gordon.EndToEnd.Tests.Support;
using Gordon.Plugins.RabbitMQ.Tests.Support;
using Gordon.Plugins.Storage.Tests.Support;
using Npgsql;

namespace Gordon.EndToEnd.Tests.ScaleOut.Support;

/// <summary>
/// The scale-out deployment of deploy/examples/scale-out on one machine, with the shipped configs: ingest daemons
/// (burrow → rabbitmq.publish) and worker daemons (rabbitmq.consume → burrow.enrich → prometheus + storage) as
/// published child processes, each with its own config root,
/// sharing one RabbitMQ virtual host and one PostgreSQL database.
/// </summary>
internal sealed class ScaleOutCluster : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private readonly RabbitMqBroker _broker;
    private readonly string _virtualHost;
    private readonly string _database;
    private readonly int _postgresPort;
    private readonly List<TempConfigRoot> _roots = [];
    private readonly List<DaemonProcess> _daemons = [];
    private int _refusals;

    private ScaleOutCluster(RabbitMqBroker broker, string virtualHost, string database, int postgresPort)
    {
        _broker = broker;
        _virtualHost = virtualHost;
        _database = database;
        _postgresPort = postgresPort;
    }

    public List<Uri> IngestAddresses { get; } = [];

    public string ConnectionString => _database;

    public static async Task<ScaleOutCluster> CreateAsync(RabbitMqBroker broker, PostgresServer postgres, CancellationToken cancellationToken)
    {
        var virtualHost = await broker.CreateVirtualHostAsync(cancellationToken: cancellationToken);
        var database = await postgres.CreateDatabaseAsync();
        return new ScaleOutCluster(broker, virtualHost, database, postgres.Port);
    }

    /// <summary>Writes a worker's config root (the shipped worker example) and starts it; returns the root to restart it.</summary>
    public async Task<(TempConfigRoot Root, DaemonProcess Daemon)> StartWorkerAsync(CancellationToken cancellationToken)
    {
        var root = new TempConfigRoot();
        _roots.Add(root);
        root.AddPublishedPlugin("Gordon.Plugins.RabbitMQ");
        root.AddPublishedPlugin("Gordon.Plugins.Burrow");
        root.AddPublishedPlugin("Gordon.Plugins.Prometheus");
        root.AddPublishedPlugin("Gordon.Plugins.Storage");
        var databaseName = new NpgsqlConnectionStringBuilder(_database).Database;
        root.WriteUserConfig(ScaleOutExample.Worker(
            PublishedDaemon.RepositoryRoot,
            _broker.Url(_virtualHost), string.Create(CultureInfo.InvariantCulture, $"postgresql://postgres@127.0.0.1:{_postgresPort}/{databaseName}")));
        var daemon = await StartDaemonAsync(root, cancellationToken);
        return (root, daemon);
    }

    /// <summary>Starts a daemon again on an existing root (a worker after its kill -9).</summary>
    public async Task<DaemonProcess> StartDaemonAsync(TempConfigRoot root, CancellationToken cancellationToken)
    {
        var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"");
        _daemons.Add(daemon);
        await daemon.WaitUntilListeningAsync(cancellationToken);
        return daemon;
    }

    /// <summary>Writes an ingest daemon's config root (the shipped ingest example) and starts it.</summary>
    public async Task StartIngestAsync(CancellationToken cancellationToken)
    {
        var root = new TempConfigRoot();
        _roots.Add(root);
        root.AddPublishedPlugin("Gordon.Plugins.Burrow");
        root.AddPublishedPlugin("Gordon.Plugins.RabbitMQ");
        root.WriteUserConfig(ScaleOutExample.Ingest(PublishedDaemon.RepositoryRoot, _broker.Url(_virtualHost)));
        var daemon = await StartDaemonAsync(root, cancellationToken);
        IngestAddresses.Add(daemon.BaseAddress);
    }

    /// <summary>Waits until a worker declared and bound the queue, so the ingest daemons' mandatory publishes are routed.</summary>
    public async Task WaitForQueueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var queues = await _broker.CtlAsync(["list_queues", "-q", "-p", _virtualHost, "name"], cancellationToken);
            if (queues.Split('\n').Any(line => line.Trim() == "gordon"))
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>A Karrot-envelope Burrow report unique to <paramref name="index"/> (its group and lag), so its message id is too.</summary>
    public static string Body(int index) => string.Create(CultureInfo.InvariantCulture, $$$"""
        {"Event":{"Cluster":"prod-east","Group":"group-{{{index}}}","ID":"incident-{{{index}}}","Start":"2024-06-10T06:22:35Z",
          "Result":{"cluster":"prod-east","group":"group-{{{index}}}","status":"WARN","complete":1,
            "partitions":[{"topic":"orders","partition":{{{index % 8}}},"owner":"/10.20.3.17","client_id":"c-{{{index}}}","status":"WARN",
              "start":{"offset":5001200,"timestamp":1718000000000,"lag":1200},
              "end":{"offset":5013400,"timestamp":1718000540000,"lag":4650},"current_lag":{{{index}}},"complete":1}],
            "partition_count":8,"totallag":{{{1000 + index}}} } } }
        """);

    /// <summary>
    /// POSTs events <paramref name="from"/>..<paramref name="to"/> (exclusive) spread over the ingest daemons; returns
    /// index → message id. A 503 (the ingest daemon's pipeline is full while RabbitMQ is away) is a refusal, not a
    /// promise: the event is sent again after a pause, as a client that waits for the publishers to resume would.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, string>> PostAsync(int from, int to, int parallelism, CancellationToken cancellationToken)
    {
        var ids = new System.Collections.Concurrent.ConcurrentDictionary<int, string>();
        await Parallel.ForAsync(from, to, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (index, token) =>
        {
            var address = IngestAddresses[index % IngestAddresses.Count];
            while (true)
            {
                using var content = new StringContent(Body(index), Encoding.UTF8, "application/json");
                using var response = await Http.PostAsync(new Uri(address, "/burrow"), content, token);
                var text = await response.Content.ReadAsStringAsync(token);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref _refusals);
                    await Task.Delay(250, token);
                    continue;
                }

                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"event {index} to {address}: {text}");
                ids[index] = JsonDocument.Parse(text).RootElement.GetProperty("message_id").GetString()!;
                return;
            }
        });
        return ids;
    }

    /// <summary>POSTs answered 503 (and sent again) so far.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    public async Task<long> CountStoredAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM event", connection);
        try
        {
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    /// <summary>Waits until the store holds at least <paramref name="count"/> events (or the token fires).</summary>
    public async Task WaitForStoredAsync(long count, CancellationToken cancellationToken)
    {
        while (await CountStoredAsync(cancellationToken) < count)
        {
            await Task.Delay(250, cancellationToken);
        }
    }

    public Task<List<StoredEvent>> StoredAsync(CancellationToken cancellationToken) => StoreReader.ReadPostgresAsync(_database, cancellationToken);

    public string Outputs => string.Join("\n----\n", _daemons.Select(d => d.Output.Length > 4000 ? d.Output[^4000..] : d.Output));

    public async ValueTask DisposeAsync()
    {
        foreach (var daemon in _daemons)
        {
            await daemon.DisposeAsync();
        }

        foreach (var root in _roots)
        {
            root.Dispose();
        }
    }
}
