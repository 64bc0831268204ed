using System.Diagnostics;
using System.Globalization;
using Gordon.Plugins.Storage.Model;
using Gordon.Plugins.Storage.Stores.Sql;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Benchmarks.Storage;

/// <summary>
/// p50/p99 latency of a trait-filtered, paginated query (limit 100) over 1,000,000 stored events in SQLite.
/// Percentiles of single queries need each query timed on its own, so this is a Stopwatch loop, not a
/// BenchmarkDotNet job (whose statistics are over iteration means).
/// </summary>
internal static class StorageQueryLatency
{
    public const int StoredEvents = 1_000_000;
    public const int Queries = 1_000;
    private const int LoadBatch = 10_000;

    public static async Task<(double P50Ms, double P99Ms, double MaxMs, int Queries)> RunAsync()
    {
        if (Environment.GetEnvironmentVariable("GORDON_STORAGE_BENCH_QUERY") == "skip")
        {
            return (double.NaN, double.NaN, double.NaN, 0);
        }

        var directory = Path.Combine(Path.GetTempPath(), "gordon-bench-q-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            await using var store = new SqliteEventStore(Path.Combine(directory, "events.db"), TimeProvider.System, NullLogger.Instance, StorageIngestBenchmark.Synchronous);
            await store.UpgradeAsync(CancellationToken.None);
            // Loaded through the store in batches of 10,000 (the plugin's largest batch_size): each transaction dirties the
            // trait indexes' pages once for 10,000 events instead of 500, so the load is not the slow part of the run.
            var load = Stopwatch.StartNew();
            for (var start = 0; start < StoredEvents; start += LoadBatch)
            {
                await store.RecordEventsAsync(BenchmarkEvents.Range(start, LoadBatch), CancellationToken.None);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"storage-query: loaded {StoredEvents} events in {load.Elapsed.TotalSeconds:F1} s"));

            // 200 filter combinations (cluster: 1 in 20, status: 1 in 4 → ~12,500 matches each), 5 pages of 100 each via the marker.
            var random = new Random(42);
            var times = new List<double>(Queries);
            for (var q = 0; q < Queries / 5; q++)
            {
                var filter = new EventFilter
                {
                    TraitFilters =
                    [
                        TraitFilter.String("cluster", "cluster-" + random.Next(20).ToString(CultureInfo.InvariantCulture)),
                        TraitFilter.String("status", BenchmarkEvents.Statuses[random.Next(4)]),
                    ],
                };
                string? marker = null;
                for (var page = 0; page < 5; page++)
                {
                    var clock = Stopwatch.StartNew();
                    var events = await store.GetEventsAsync(filter, new Pagination(Limit: 100, Marker: marker), CancellationToken.None).ToListAsync();
                    times.Add(clock.Elapsed.TotalMilliseconds);
                    if (events.Count < 100)
                    {
                        throw new InvalidOperationException($"page {page} of {filter.TraitFilters[0]} had {events.Count} events");
                    }

                    marker = events[^1].MessageId;
                }
            }

            times.Sort();
            return (times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.99) - 1], times[^1], times.Count);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
