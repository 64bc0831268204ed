using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gordon.Benchmarks.Storage;

/// <summary>
/// <c>--bench=storage</c>: the ingest benchmark (SQLite and PostgreSQL against raw prepared statements) and the query
/// latency over 1,000,000 events; prints one line per measurement and ends with
/// <c>storage: N events/s, baseline M events/s, ratio r</c> (SQLite).
/// </summary>
internal static class StorageBench
{
    public static int Run()
    {
        // One operation is 200,000 events (seconds each): one warm-up and three measured runs per case keep the
        // whole run to a few minutes on the shared 2-core machine.
        var config = DefaultConfig.Instance
            .AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.JoinSummary);
        var summary = BenchmarkRunner.Run<StorageIngestBenchmark>(config);
        var rates = summary.Reports
            .Where(r => r.ResultStatistics is not null)
            .ToDictionary(
                r => (Backend: (string)r.BenchmarkCase.Parameters["Backend"], Method: r.BenchmarkCase.Descriptor.WorkloadMethod.Name),
                r => StorageIngestBenchmark.EventCount / (r.ResultStatistics!.Mean / 1e9));
        var (p50, p99, max, queries) = StorageQueryLatency.RunAsync().GetAwaiter().GetResult();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"storage-query: p50 {p50:F2} ms, p99 {p99:F2} ms, max {max:F2} ms over {queries} trait-filtered pages of 100 in {StorageQueryLatency.StoredEvents} events (SQLite)"));
        string? last = null;
        foreach (var backend in new[] { "postgresql", "sqlite" })
        {
            if (!rates.TryGetValue((backend, nameof(StorageIngestBenchmark.RecordEvents)), out var store)
                || !rates.TryGetValue((backend, nameof(StorageIngestBenchmark.RawPreparedStatements)), out var raw))
            {
                Console.WriteLine($"storage-{backend}: no result (see the BenchmarkDotNet output above)");
                continue;
            }

            var name = backend == "sqlite" ? "storage" : "storage-" + backend;
            last = string.Create(CultureInfo.InvariantCulture, $"{name}: {store:F0} events/s, baseline {raw:F0} events/s, ratio {store / raw:F2}");
            Console.WriteLine(last);
        }

        return last is null ? 1 : 0;
    }
}
