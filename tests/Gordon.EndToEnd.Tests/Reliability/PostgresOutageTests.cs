using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Gordon.EndToEnd.Tests.Support;
using Npgsql;

namespace Gordon.EndToEnd.Tests.Reliability;

/// <summary>
/// Issue 13 item 3, the PostgreSQL fault: a daemon (burrow → storage on a real PostgreSQL, and prometheus) takes a
/// steady stream of reports while PostgreSQL is stopped for 30 s (<c>pg_ctl stop -m fast</c>) and started again on
/// the same port and data directory.
/// </summary>
/// <remarks>
/// Prometheus runs in the same phase as storage (as deploy/examples/scale-out/worker has it): it keeps updating because
/// each handler of a parallel phase has its own lane, so storage's retries hold back only storage's lane, until the
/// backlog outgrows the channels; from then on the backlog waits in the spool.
/// </remarks>
[NonParallelizable]
public sealed class PostgresOutageTests
{
    private const string GroupPrefix = "outage-";

    /// <summary>Reports per second: 30 s of it (600) fits in one channel of 1024, not in channels of 16.</summary>
    private const int Rate = 20;

    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    // The default capacity holds the outage's backlog in the channels, so Prometheus keeps updating. Capacity 16 holds a
    // tenth of it: the rest must wait in the spool (every POST still answered 200), and Prometheus waits with it.
    [TestCase("publish", 1024, true)]
    [TestCase("publish", 16, false)]
    [CancelAfter(300_000)]
    public async Task PostgresStoppedFor30s_WebhookAnswers200_HealthDegraded_AllStoredExactlyOnceAfterwards(
        string prometheusPhase, int capacity, bool metricsKeepUpdating, CancellationToken cancellationToken)
    {
        using var postgres = StoppablePostgres.Start();
        var database = await postgres.CreateDatabaseAsync(cancellationToken);
        using var root = NewRoot(postgres.Port, new NpgsqlConnectionStringBuilder(database).Database!, prometheusPhase, capacity);
        await using var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"");
        var address = await daemon.WaitUntilListeningAsync(cancellationToken);
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var load = new SteadyLoad(address);
        var sending = load.RunAsync(stopSending.Token);
        var clock = Stopwatch.StartNew();

        await WaitUntilAsync(async () => (await StoreReader.ReadPostgresAsync(database, cancellationToken)).Count >= Rate, TimeSpan.FromSeconds(30), cancellationToken);
        var storedBefore = (await StoreReader.ReadPostgresAsync(database, cancellationToken)).Count;
        postgres.StopFast();
        var stoppedAt = clock.Elapsed;
        var acceptedBeforeOutage = load.Accepted.Count;

        var degraded = await WaitUntilAsync(async () => (await HealthAsync(address, cancellationToken)).Status == "degraded", Outage / 2, cancellationToken);
        var healthDuringOutage = await HealthAsync(address, cancellationToken);

        // A group first reported 5 s into the outage, when every publish worker has long been in storage's retries.
        await WaitUntilAsync(() => Task.FromResult(clock.Elapsed - stoppedAt >= TimeSpan.FromSeconds(5)), Outage, cancellationToken);
        var probe = load.Next;
        var probeExported = await WaitUntilAsync(
            async () => (await Http.GetStringAsync(new Uri(address, "/metrics"), cancellationToken)).Contains($"\"{GroupPrefix}{probe}\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            cancellationToken);
        var maxSpooled = healthDuringOutage.Spooled;
        await WaitUntilAsync(
            async () =>
            {
                maxSpooled = Math.Max(maxSpooled, (await HealthAsync(address, cancellationToken)).Spooled);
                return clock.Elapsed - stoppedAt >= Outage;
            },
            Outage * 2,
            cancellationToken);
        var acceptedDuringOutage = load.Accepted.Count - acceptedBeforeOutage;
        postgres.StartAgain();
        var restartedAt = clock.Elapsed;

        await WaitUntilAsync(() => Task.FromResult(clock.Elapsed - restartedAt >= TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(10), cancellationToken);
        await stopSending.CancelAsync();
        await sending;
        var allStored = await WaitUntilAsync(
            async () => (await StoreReader.ReadPostgresAsync(database, cancellationToken)).Count >= load.Accepted.Count,
            TimeSpan.FromSeconds(90),
            cancellationToken);
        var caughtUpAfter = clock.Elapsed - restartedAt;
        var healthy = await WaitUntilAsync(async () => (await HealthAsync(address, cancellationToken)).Status == "running", TimeSpan.FromSeconds(30), cancellationToken);
        var stored = await StoreReader.ReadPostgresAsync(database, cancellationToken);

        await TestContext.Out.WriteLineAsync(
            $"prometheus in {prometheusPhase}, capacity {capacity}: {load.Next} posted, {load.Accepted.Count} answered 200 ({acceptedDuringOutage} during the 30 s outage), " +
            $"{load.Refused.Count} not 200 {Describe(load.Refused)}; {storedBefore} stored before the stop; health during the outage " +
            $"'{healthDuringOutage.Status}', up to {maxSpooled} messages spooled; probe group {probe} exported during the outage: {probeExported}; " +
            $"all stored {caughtUpAfter.TotalSeconds:F1}s after the restart; {stored.Count} stored; run {clock.Elapsed.TotalSeconds:F0}s");
        Assert.Multiple(() =>
        {
            Assert.That(load.Refused, Is.Empty, "every POST is answered 200 while the spool has room");
            Assert.That(acceptedDuringOutage, Is.GreaterThanOrEqualTo(Rate * 20), "reports kept coming in during the outage");
            Assert.That(degraded, Is.True, $"/health reports degraded while PostgreSQL is down (it said '{healthDuringOutage.Status}')");
            Assert.That(maxSpooled, Is.GreaterThan(Rate * 5), "the backlog is held in the spool during the outage");
            Assert.That(probeExported, Is.EqualTo(metricsKeepUpdating), $"(capacity {capacity}) the lag of group {GroupPrefix}{probe}, first reported during the outage, appears in /metrics");
            Assert.That(allStored, Is.True, "every acknowledged report is stored after PostgreSQL returns");
            Assert.That(healthy, Is.True, "/health is back to running");
        });
        StoreAssert.ExactlyOnce(load.Accepted, stored, GroupPrefix, load.Next);
    }

    private static TempConfigRoot NewRoot(int port, string database, string prometheusPhase, int capacity)
    {
        var root = new TempConfigRoot();
        root.AddPublishedPlugin("Gordon.Plugins.Burrow");
        root.AddPublishedPlugin("Gordon.Plugins.Storage");
        root.AddPublishedPlugin("Gordon.Plugins.Prometheus");

        // max_attempts = 100 (the most allowed) with backoff_max = 1s: storage retries through ~100 s, past the 30 s
        // outage, rather than dead-letter after the default 5 attempts
        // (0.1 + 0.2 + 0.4 + 0.8 s of backoff), and it notices PostgreSQL's return within a second.
        root.WriteUserConfig(string.Create(CultureInfo.InvariantCulture, $"""
            [core]
            plugins = ["burrow", "storage", "prometheus"]

            [core.router]
            max_attempts = 100
            backoff_max = "1s"
            capacity = {capacity}

            [core.router.concurrency]
            publish = 8

            [storage]
            url = "postgresql://postgres@127.0.0.1:{port}/{database}"

            [prometheus]
            phase = "{prometheusPhase}"
            """));
        return root;
    }

    private static string Describe(IReadOnlyCollection<(int Index, string Status)> refused) =>
        refused.Count == 0 ? string.Empty : "(first: " + string.Join(", ", refused.Take(3).Select(r => $"#{r.Index} {r.Status}")) + ")";

    /// <summary>Polls <paramref name="condition"/> until it holds (true) or <paramref name="patience"/> passes (false).</summary>
    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan patience, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (NpgsqlException)
            {
                // PostgreSQL is on its way back: try again.
            }

            if (clock.Elapsed >= patience)
            {
                return false;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static async Task<(string Status, long Spooled)> HealthAsync(Uri address, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri(address, "/health"), cancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var spooled = json.RootElement.TryGetProperty("spool", out var spool) ? spool.GetProperty("messages").GetInt64() : -1;
        return (json.RootElement.GetProperty("status").GetString()!, spooled);
    }

    /// <summary>POSTs report after report at <see cref="Rate"/> per second, each a new group, until cancelled.</summary>
    private sealed class SteadyLoad(Uri address)
    {
        private int _next;

        public ConcurrentDictionary<string, int> Accepted { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<(int Index, string Status)> Refused { get; } = new();

        public int Next => Volatile.Read(ref _next);

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / Rate));
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    var index = Next;
                    await PostAsync(index, cancellationToken);
                    Interlocked.Increment(ref _next);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Sending stops here; the POST in flight, if any, finished first.
            }
        }

        private async Task PostAsync(int index, CancellationToken cancellationToken)
        {
            var body = string.Create(CultureInfo.InvariantCulture, $$"""
                {"cluster":"prod-east","group":"{{GroupPrefix}}{{index}}","status":"WARN","complete":1,
                 "partitions":[{"topic":"orders","partition":0,"owner":"/10.0.0.1","client_id":"c-1","status":"WARN",
                   "start":{"offset":10,"timestamp":1,"lag":0},"end":{"offset":20,"timestamp":3,"lag":{{index}}},"current_lag":{{index}},"complete":1}],
                 "partition_count":1,"maxlag":null,"totallag":{{1000 + index}}}
                """);
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await Http.PostAsync(new Uri(address, "/burrow"), content, CancellationToken.None);
                var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Accepted[JsonDocument.Parse(text).RootElement.GetProperty("message_id").GetString()!] = index;
                }
                else
                {
                    Refused.Enqueue((index, $"{(int)response.StatusCode} {text}"));
                }
            }
            catch (HttpRequestException e)
            {
                Refused.Enqueue((index, e.Message));
            }
            catch (TaskCanceledException e)
            {
                Refused.Enqueue((index, "timeout: " + e.Message));
            }
        }
    }
}
