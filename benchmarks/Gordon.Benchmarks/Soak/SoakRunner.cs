using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Gordon.Benchmarks.Soak;

/// <summary>
/// <c>--bench=soak</c>: runs the published daemon (Burrow webhook in, Prometheus and SQLite storage out, spool on)
/// as a child process on 127.0.0.1, POSTs Burrow envelopes at a fixed rate for the given duration, and every 10 s
/// samples the daemon's RSS, GC heap (from its own /metrics), open handles and the window's p50/p99 latency.
/// Writes soak.csv and soak-rss.png to the output folder and prints one summary line.
/// </summary>
internal sealed partial class SoakRunner
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly string _daemonDirectory;
    private readonly TimeSpan _duration;
    private readonly double _rate;
    private readonly string _output;
    private readonly IReadOnlyList<string> _plugins;
    private readonly TimeSpan _storeTtl;
    private DaemonMetrics? _previousMetrics;

    public SoakRunner(string daemonDirectory, TimeSpan duration, double rate, string output, IReadOnlyList<string> plugins, TimeSpan storeTtl)
    {
        _plugins = plugins;
        _storeTtl = storeTtl;
        _daemonDirectory = daemonDirectory;
        _duration = duration;
        _rate = rate;
        _output = output;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("gordon-soak-").FullName;
        File.Copy(Path.Combine(_daemonDirectory, "gordon.toml"), Path.Combine(root, "gordon.toml"));
        Directory.CreateSymbolicLink(Path.Combine(root, "plugins"), Path.Combine(_daemonDirectory, "plugins"));
        var port = FreeLoopbackPort();
        await File.WriteAllTextAsync(Path.Combine(root, "gordon-user.toml"), UserConfig(port), cancellationToken).ConfigureAwait(false);

        using var daemon = Process.Start(new ProcessStartInfo(Path.Combine(_daemonDirectory, "gordon"), ["run", "-c", root])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("cannot start the daemon");
        try
        {
            var address = await WaitForHealthAsync(daemon, new Uri($"http://127.0.0.1:{port}/"), cancellationToken).ConfigureAwait(false);
            var samples = await DriveAsync(daemon, address, Path.Combine(root, "state"), cancellationToken).ConfigureAwait(false);
            Report(samples);
            return 0;
        }
        finally
        {
            daemon.Kill(entireProcessTree: true);
            await daemon.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            Directory.Delete(root, recursive: true);
        }
    }

    // The shipped gordon-user.toml's pipeline by default; storage with its shipped concurrency, and a retention when
    // asked so the store reaches a steady size instead of growing through the whole run.
    private string UserConfig(int port)
    {
        var config = new StringBuilder().Append(CultureInfo.InvariantCulture, $"[core]\nplugins = [{string.Join(", ", _plugins.Select(p => $"\"{p}\""))}]\n\n");
        if (_plugins.Contains("storage"))
        {
            config.Append("[core.router.concurrency]\nstorage = 32\n\n");
            if (_storeTtl > TimeSpan.Zero)
            {
                config.Append(CultureInfo.InvariantCulture, $"[storage]\nttl = \"{_storeTtl.TotalSeconds:F0}s\"\nexpire_interval = \"{Math.Max(1, _storeTtl.TotalSeconds / 8):F0}s\"\n\n");
            }
        }

        config.Append(CultureInfo.InvariantCulture, $"[core.http]\nlisten = \"127.0.0.1:{port}\"\n\n[core.logging]\nlevel = \"warning\"\n");
        return config.ToString();
    }

    // The daemon logs its address at information level only, and the soak runs it at warning: so the port is chosen
    // here and readiness is the first answer from /health.
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<Uri> WaitForHealthAsync(Process daemon, Uri address, CancellationToken cancellationToken)
    {
        // Drain both pipes so a chatty daemon never blocks on a full pipe.
        daemon.OutputDataReceived += (_, e) => { if (e.Data is { } line) { Console.Error.WriteLine("daemon: " + line); } };
        daemon.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { Console.Error.WriteLine("daemon: " + line); } };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (daemon.HasExited)
            {
                throw new InvalidOperationException($"the daemon exited with code {daemon.ExitCode} before answering /health");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                return address;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new TimeoutException("the daemon did not answer /health within 60 s");
    }

    private async Task<List<SoakSample>> DriveAsync(Process daemon, Uri address, string stateDirectory, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        var samples = new List<SoakSample>();
        var latencies = new List<double>();
        var failures = 0;
        var gate = new object();
        var inFlight = new SemaphoreSlim(64);
        var clock = Stopwatch.StartNew();
        var windowStart = TimeSpan.Zero;
        long sent = 0;
        var pending = new List<Task>();
        while (clock.Elapsed < _duration && !cancellationToken.IsCancellationRequested)
        {
            // Open loop at a fixed rate: a slow daemon shows as latency, not as a lower offered load.
            // A client behind its schedule still closes each window on time: catching up first would stretch the
            // windows (to ~100 s at 20,600/s on two saturated cores) and with them the fifths the judgement compares.
            var due = (long)(clock.Elapsed.TotalSeconds * _rate);
            for (; sent < due && clock.Elapsed - windowStart < Window; sent++)
            {
                await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
                var n = sent;
                pending.Add(Task.Run(
                    async () =>
                    {
                        var started = Stopwatch.GetTimestamp();
                        try
                        {
                            using var content = new ByteArrayContent(BurrowEnvelope.Create("soak", "group-" + (n % 500).ToString(CultureInfo.InvariantCulture), n % 10_000, DateTimeOffset.UtcNow));
                            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                            using var response = await client.PostAsync(new Uri("/burrow", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
                            lock (gate)
                            {
                                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                                failures += response.IsSuccessStatusCode ? 0 : 1;
                            }
                        }
                        catch (HttpRequestException)
                        {
                            lock (gate)
                            {
                                failures++;
                            }
                        }
                        finally
                        {
                            inFlight.Release();
                        }
                    },
                    cancellationToken));
            }

            if (clock.Elapsed - windowStart >= Window)
            {
                double[] window;
                int windowFailures;
                lock (gate)
                {
                    window = [.. latencies];
                    windowFailures = failures;
                    latencies.Clear();
                    failures = 0;
                }

                samples.Add(await SampleAsync(daemon, client, stateDirectory, clock.Elapsed, window, windowFailures, cancellationToken).ConfigureAwait(false));
                Console.WriteLine(Describe(samples[^1]));
                windowStart = clock.Elapsed;
                pending.RemoveAll(t => t.IsCompleted);
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        return samples;
    }

    private async Task<SoakSample> SampleAsync(Process daemon, HttpClient client, string stateDirectory, TimeSpan elapsed, double[] latencies, int failures, CancellationToken cancellationToken)
    {
        Array.Sort(latencies);
        double Percentile(double p) => latencies.Length == 0 ? 0 : latencies[Math.Min(latencies.Length - 1, (int)(p * latencies.Length))];
        var status = await File.ReadAllTextAsync($"/proc/{daemon.Id}/status", cancellationToken).ConfigureAwait(false);
        var rss = long.Parse(RssLine().Match(status).Groups[1].Value, CultureInfo.InvariantCulture) * 1024;
        var handles = Directory.GetFileSystemEntries($"/proc/{daemon.Id}/fd").Length;
        DaemonMetrics? metrics = null;
        try
        {
            metrics = DaemonMetrics.Parse(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken).ConfigureAwait(false));
        }
        catch (HttpRequestException)
        {
            // No exporter answering: the daemon's own columns stay empty for this window.
        }

        var (batchMilliseconds, batchSize) = metrics?.BatchesSince(_previousMetrics) ?? (null, null);
        _previousMetrics = metrics ?? _previousMetrics;
        return new SoakSample(
            elapsed,
            rss,
            metrics?.GcHeapBytes,
            handles,
            latencies.Length,
            failures,
            Percentile(0.50),
            Percentile(0.99),
            metrics?.InFlight,
            batchMilliseconds,
            batchSize,
            BytesOf(stateDirectory, "events.db*"),
            BytesOf(Path.Combine(stateDirectory, "spool"), "*"));
    }

    private static long BytesOf(string directory, string pattern) =>
        Directory.Exists(directory) ? new DirectoryInfo(directory).EnumerateFiles(pattern).Sum(f => f.Length) : 0;

    private void Report(List<SoakSample> samples)
    {
        Directory.CreateDirectory(_output);
        var csv = new StringBuilder("elapsed_s,rss_bytes,gc_heap_bytes,handles,requests,failures,p50_ms,p99_ms,in_flight,storage_batch_ms,storage_batch_size,store_bytes,spool_bytes\n");
        foreach (var s in samples)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{s.Elapsed.TotalSeconds:F0},{s.RssBytes},{s.GcHeapBytes?.ToString("F0", CultureInfo.InvariantCulture)},{s.Handles},{s.Requests},{s.Failures},{s.P50Milliseconds:F2},{s.P99Milliseconds:F2},{s.InFlight?.ToString("F0", CultureInfo.InvariantCulture)},{s.StorageBatchMilliseconds?.ToString("F2", CultureInfo.InvariantCulture)},{s.StorageBatchSize?.ToString("F1", CultureInfo.InvariantCulture)},{s.StoreBytes},{s.SpoolBytes}\n");
        }

        File.WriteAllText(Path.Combine(_output, "soak.csv"), csv.ToString());
        if (samples.Count < 4)
        {
            Console.WriteLine("soak: too short to judge (fewer than 4 samples)");
            return;
        }

        var points = samples.Select(s => (s.Elapsed.TotalMinutes, s.RssBytes / 1048576.0)).ToList();
        var yMax = points.Max(p => p.Item2) * 1.1;
        LinePlotPng.Write(Path.Combine(_output, "soak-rss.png"), points, 0, yMax);

        // Warm-up is the first fifth of the run (JIT, pools, caches, SQLite's page cache filling). Growth compares the
        // median of the fifth after it with the median of the last fifth: single windows jump with every GC.
        var fifth = samples.Count / 5;
        var settled = samples.Skip(fifth).Take(fifth).ToList();
        var end = samples.TakeLast(fifth).ToList();
        var rssBefore = Median(settled, s => s.RssBytes) / 1048576.0;
        var rssAfter = Median(end, s => s.RssBytes) / 1048576.0;
        var p99Before = Median(settled, s => s.P99Milliseconds);
        var p99After = Median(end, s => s.P99Milliseconds);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"soak: {samples.Sum(s => s.Requests)} requests at {_rate:F0}/s, {samples.Sum(s => s.Failures)} non-2xx, RSS median {rssBefore:F0} MiB after warm-up -> {rssAfter:F0} MiB in the last fifth ({(rssAfter - rssBefore) / rssBefore:P1}), p99 median {p99Before:F1} ms -> {p99After:F1} ms, in flight max {samples.Max(s => s.InFlight ?? 0):F0}, store {samples[^1].StoreBytes / 1048576.0:F0} MiB, plot y-axis 0..{yMax:F0} MiB"));
    }

    private static double Median(List<SoakSample> samples, Func<SoakSample, double> value)
    {
        var sorted = samples.Select(value).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    private static string Describe(SoakSample s) => string.Create(
        CultureInfo.InvariantCulture,
        $"{s.Elapsed.TotalSeconds,6:F0}s rss={s.RssBytes / 1048576.0:F1}MiB heap={(s.GcHeapBytes ?? 0) / 1048576.0:F1}MiB handles={s.Handles} req={s.Requests} fail={s.Failures} p50={s.P50Milliseconds:F2}ms p99={s.P99Milliseconds:F2}ms inflight={s.InFlight ?? 0:F0} batch={s.StorageBatchMilliseconds ?? 0:F1}ms/{s.StorageBatchSize ?? 0:F0} store={s.StoreBytes / 1048576.0:F0}MiB spool={s.SpoolBytes / 1048576.0:F1}MiB");

    [GeneratedRegex(@"VmRSS:\s+(\d+) kB")]
    private static partial Regex RssLine();
}
