using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Gordon.Benchmarks.Storage;
using Gordon.EndToEnd.Tests.ScaleOut.Support;
using Gordon.Plugins.RabbitMQ.Tests.Support;
using Npgsql;

namespace Gordon.Benchmarks.ScaleOut;

/// <summary>
/// <c>--bench=scaleout [--daemon=artifacts/gordon] [--events=20000]</c>: events/s end to end through the shipped
/// scale-out example on this machine — 1 ingest daemon (burrow → rabbitmq.publish) and 1 or 2 worker daemons
/// (rabbitmq.consume → burrow.enrich → prometheus + storage), published daemons as child processes, a real RabbitMQ
/// and a real PostgreSQL (fsync on). The ingest's /burrow takes a fixed number of events as fast as it accepts them
/// (a 503 is sent again); the clock stops when all are rows in PostgreSQL. Prints
/// <c>scaleout: X events/s, baseline Y events/s, ratio r</c>: 2 workers against 1 worker, measured in the same run.
/// </summary>
internal static class ScaleOutBench
{
    private const int Warmup = 1_000;
    private const int Parallelism = 32;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static int Run(string[] args)
    {
        string Arg(string name, string fallback) =>
            args.FirstOrDefault(a => a.StartsWith("--" + name + "=", StringComparison.Ordinal))?[(name.Length + 3)..] ?? fallback;
        var daemon = Path.GetFullPath(Arg("daemon", "artifacts/gordon"));
        var events = int.Parse(Arg("events", "20000"), CultureInfo.InvariantCulture);
        var repository = FindRepository();
        return RunAsync(daemon, repository, events, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(string daemon, string repository, int events, CancellationToken cancellationToken)
    {
        using var postgres = BenchmarkPostgres.Start();
        await using var broker = await RabbitMqBroker.StartAsync(cancellationToken).ConfigureAwait(false);
        var baseline = await MeasureAsync(daemon, repository, broker, postgres, workers: 1, events, cancellationToken).ConfigureAwait(false);
        var scaled = await MeasureAsync(daemon, repository, broker, postgres, workers: 2, events, cancellationToken).ConfigureAwait(false);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"scaleout: {scaled:F0} events/s, baseline {baseline:F0} events/s, ratio {scaled / baseline:F2}"));
        return 0;
    }

    /// <summary>One deployment (1 ingest + <paramref name="workers"/> workers, fresh virtual host and database); returns events/s.</summary>
    private static async Task<double> MeasureAsync(
        string daemon, string repository, RabbitMqBroker broker, BenchmarkPostgres postgres, int workers, int events, CancellationToken cancellationToken)
    {
        var virtualHost = await broker.CreateVirtualHostAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var database = postgres.CreateDatabase();
        var databaseName = new NpgsqlConnectionStringBuilder(database).Database;
        var storageUrl = string.Create(CultureInfo.InvariantCulture, $"postgresql://postgres@127.0.0.1:{postgres.Port}/{databaseName}");
        var children = new List<DaemonChild>();
        try
        {
            for (var i = 0; i < workers; i++)
            {
                children.Add((await DaemonChild.StartAsync(daemon, ScaleOutExample.Worker(repository, broker.Url(virtualHost), storageUrl), cancellationToken).ConfigureAwait(false)).Daemon);
            }

            await WaitForQueueAsync(broker, virtualHost, cancellationToken).ConfigureAwait(false);
            var (ingest, address) = await DaemonChild.StartAsync(daemon, ScaleOutExample.Ingest(repository, broker.Url(virtualHost)), cancellationToken).ConfigureAwait(false);
            children.Add(ingest);

            // Warm-up: JIT, connection pools, the queue and the tables, outside the clock.
            var refused = await PostAsync(address, 0, Warmup, cancellationToken).ConfigureAwait(false);
            await WaitForStoredAsync(database, Warmup, cancellationToken).ConfigureAwait(false);

            var clock = Stopwatch.StartNew();
            refused += await PostAsync(address, Warmup, Warmup + events, cancellationToken).ConfigureAwait(false);
            var postedIn = clock.Elapsed;
            await WaitForStoredAsync(database, Warmup + events, cancellationToken).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            var perSecond = events / elapsed.TotalSeconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"scaleout: 1 ingest + {workers} worker(s): {events} events accepted in {postedIn.TotalSeconds:F1}s, all in PostgreSQL after {elapsed.TotalSeconds:F1}s = {perSecond:F0} events/s ({refused} POSTs answered 503 and sent again)"));
            return perSecond;
        }
        finally
        {
            foreach (var child in children)
            {
                await child.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> PostAsync(Uri address, int from, int to, CancellationToken cancellationToken)
    {
        var refused = 0;
        await Parallel.ForAsync(from, to, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (index, token) =>
        {
            while (true)
            {
                using var content = new StringContent(Body(index), Encoding.UTF8, "application/json");
                using var response = await Http.PostAsync(new Uri(address, "/burrow"), content, token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    throw new InvalidOperationException($"event {index}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token).ConfigureAwait(false)}");
                }

                Interlocked.Increment(ref refused);
                await Task.Delay(50, token).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return refused;
    }

    // A Karrot-envelope report unique to its index (as the end-to-end tests send), 8 partitions listed as Burrow does.
    private static string Body(int index) => string.Create(CultureInfo.InvariantCulture, $$$"""
        {"Event":{"Cluster":"prod-east","Group":"group-{{{index}}}","ID":"incident-{{{index}}}","Start":"2024-06-10T06:22:35Z",
          "Result":{"cluster":"prod-east","group":"group-{{{index}}}","status":"WARN","complete":1,
            "partitions":[{"topic":"orders","partition":{{{index % 8}}},"owner":"/10.20.3.17","client_id":"c-{{{index}}}","status":"WARN",
              "start":{"offset":5001200,"timestamp":1718000000000,"lag":1200},
              "end":{"offset":5013400,"timestamp":1718000540000,"lag":4650},"current_lag":{{{index}}},"complete":1}],
            "partition_count":8,"totallag":{{{1000 + index}}} } } }
        """);

    private static async Task WaitForQueueAsync(RabbitMqBroker broker, string virtualHost, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!(await broker.CtlAsync(["list_queues", "-q", "-p", virtualHost, "name"], cancellationToken).ConfigureAwait(false))
            .Split('\n').Any(line => line.Trim() == "gordon"))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException("no worker declared the queue within 60 s");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WaitForStoredAsync(string database, long count, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            long stored;
            await using (var command = new NpgsqlCommand("SELECT count(*) FROM event", connection))
            {
                try
                {
                    stored = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
                {
                    stored = 0;
                }
            }

            if (stored >= count)
            {
                return;
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new InvalidOperationException($"only {stored} of {count} events in PostgreSQL after 5 minutes");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gordon.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Gordon.slnx) was not found above " + AppContext.BaseDirectory);
    }
}
