using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Gordon.EndToEnd.Tests.Support;

namespace Gordon.EndToEnd.Tests.MainJob;

/// <summary>
/// The main job in the published daemon, as an operator runs it: Burrow reports POSTed to /burrow, enriched, exported on
/// /metrics and stored (SQLite under the state dir), read back through /v2/events and `gordon events list`.
/// </summary>
public sealed class MainJobTests
{
    private const string Plugins = """
        [core]
        plugins = ["burrow", "burrow.enrich", "prometheus", "storage"]
        """;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    [Test]
    [CancelAfter(180_000)]
    public async Task BurrowReports_ReachMetricsStoreAndCli_BadBodiesAreRefusedAndLoseNothing(CancellationToken cancellationToken)
    {
        using var root = NewRoot();
        await using var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"");
        var address = await daemon.WaitUntilListeningAsync(cancellationToken);

        var accepted = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            using var ok = await PostAsync(address, Envelope("g" + (i % 20), 1000 + i), cancellationToken);
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), daemon.Output);
            accepted.Add(MessageId(await ok.Content.ReadAsStringAsync(cancellationToken)));
            if (i % 10 == 0)
            {
                using var bad = await PostAsync(address, i % 20 == 0 ? "{\"Event\":{" : "{\"Event\":{\"Result\":{\"cluster\":\"c1\"}}}", cancellationToken);
                Assert.That((int)bad.StatusCode, Is.InRange(400, 499));
            }
        }

        // Prometheus: the last report of each group wins (g19's last lag is 1000 + 199). A 200 means "in the
        // pipeline", not "published", so the value may take a moment to arrive.
        const string LastLag = "karrot_consumer_lag{cluster=\"c1\",consumer=\"g19\"} 1199";
        var metrics = await Http.GetStringAsync(new Uri(address, "/metrics"), cancellationToken);
        while (!metrics.Contains(LastLag, StringComparison.Ordinal))
        {
            await Task.Delay(50, cancellationToken);
            metrics = await Http.GetStringAsync(new Uri(address, "/metrics"), cancellationToken);
        }

        Assert.That(metrics, Does.Contain("karrot_reporter_events_count_total{reporter=\"storage\"}"));

        // Storage: every accepted report, once (batches commit asynchronously; wait for the last).
        var stored = await WaitForStoredAsync(address, accepted.Count, cancellationToken);
        Assert.That(stored, Is.EquivalentTo(accepted.Distinct()));

        var (code, listing) = await DaemonProcess.RunToEndAsync($"events list -c \"{root.Path}\" --limit 5", cancellationToken);
        Assert.That(code, Is.Zero, listing);
        Assert.That(listing, Does.Contain("burrow.consumer_status"));

        using var health = await Http.GetAsync(new Uri(address, "/health"), cancellationToken);
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), await health.Content.ReadAsStringAsync(cancellationToken));
        Assert.That(File.Exists(Path.Combine(root.StateDirectory, "dead-letters.jsonl")), Is.False, "nothing was dead-lettered");

        daemon.Signal(PosixSignalNumber.Term);
        Assert.That(await daemon.WaitForExitAsync(cancellationToken), Is.Zero, daemon.Output);
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task Sigterm_UnderLoad_EveryReportAnswered200IsStoredAfterRestart(CancellationToken cancellationToken)
    {
        using var root = NewRoot();
        var acknowledged = new ConcurrentBag<string>();
        await using (var daemon = DaemonProcess.Start($"run -c \"{root.Path}\""))
        {
            var address = await daemon.WaitUntilListeningAsync(cancellationToken);
            using var stopLoad = new CancellationTokenSource();
            var load = Enumerable.Range(0, 4).Select(worker => Task.Run(
                async () =>
                {
                    for (var n = 0; !stopLoad.IsCancellationRequested; n++)
                    {
                        try
                        {
                            using var response = await PostAsync(address, Envelope($"w{worker}-{n % 50}", n), CancellationToken.None);
                            if (response.StatusCode == HttpStatusCode.OK)
                            {
                                acknowledged.Add(MessageId(await response.Content.ReadAsStringAsync(CancellationToken.None)));
                            }
                        }
                        catch (HttpRequestException)
                        {
                            // The daemon closed its listener: not acknowledged, so not owed.
                        }
                    }
                },
                CancellationToken.None)).ToList();

            while (acknowledged.Count < 300)
            {
                await Task.Delay(20, cancellationToken);
            }

            daemon.Signal(PosixSignalNumber.Term);
            Assert.That(await daemon.WaitForExitAsync(cancellationToken), Is.Zero, daemon.Output);
            await stopLoad.CancelAsync();
            await Task.WhenAll(load);
        }

        // A clean stop drains: the spool is empty and everything is already stored; a restart reads it back.
        Assert.That(Directory.EnumerateFiles(Path.Combine(root.StateDirectory, "spool")), Is.Empty);
        await using var again = DaemonProcess.Start($"run -c \"{root.Path}\"");
        var againAddress = await again.WaitUntilListeningAsync(cancellationToken);
        var owed = acknowledged.Distinct().ToList();
        var stored = await WaitForStoredAsync(againAddress, owed.Count, cancellationToken);
        Assert.That(owed.Except(stored), Is.Empty, $"{owed.Count} answered 200, {stored.Count} stored");
        again.Signal(PosixSignalNumber.Term);
        await again.WaitForExitAsync(cancellationToken);
    }

    private static TempConfigRoot NewRoot()
    {
        var root = new TempConfigRoot();
        root.AddPublishedPlugin("Gordon.Plugins.Burrow");
        root.AddPublishedPlugin("Gordon.Plugins.Prometheus");
        root.AddPublishedPlugin("Gordon.Plugins.Storage");
        root.WriteUserConfig(Plugins);
        return root;
    }

    private static async Task<List<string>> WaitForStoredAsync(Uri address, int expected, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = JsonDocument.Parse(await Http.GetStringAsync(new Uri(address, "/v2/events?limit=10000"), cancellationToken)).RootElement;
            var ids = page.EnumerateArray().Select(e => e.GetProperty("message_id").GetString()!).ToList();
            if (ids.Count >= expected)
            {
                return ids;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static string MessageId(string reply) => JsonDocument.Parse(reply).RootElement.GetProperty("message_id").GetString()!;

    private static Task<HttpResponseMessage> PostAsync(Uri address, string body, CancellationToken cancellationToken) =>
        Http.PostAsync(new Uri(address, "/burrow"), new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);

    private static string Envelope(string group, long lag) => string.Create(CultureInfo.InvariantCulture, $$"""
        {"Event":{"Cluster":"c1","Group":"{{group}}","ID":"","Start":"0001-01-01T00:00:00Z","Extras":{},
          "Result":{"cluster":"c1","group":"{{group}}","status":"OK","complete":1,
            "partitions":[{"topic":"t","partition":0,"status":"OK","current_lag":{{lag}},"complete":1,
              "start":{"offset":1,"timestamp":1718000000000,"lag":0},"end":{"offset":2,"timestamp":1718000060000,"lag":{{lag}}} }],
            "partition_count":1,"maxlag":null,"totallag":{{lag}}
        """) + "}}}";
}
