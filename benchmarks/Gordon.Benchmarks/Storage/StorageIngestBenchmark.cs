using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Gordon.Abstractions.Events;
using Gordon.Plugins.Storage.Model;
using Gordon.Plugins.Storage.Stores;
using Gordon.Plugins.Storage.Stores.Sql;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Benchmarks.Storage;

/// <summary>
/// Ingest of 200,000 events with 10 traits each through <c>RecordEventsAsync</c> in batches of 500, against a raw
/// baseline that inserts the same rows with plain prepared statements, one transaction per 500 events, on the same
/// schema and connection settings. One operation is the whole 200,000 events.
/// </summary>
public class StorageIngestBenchmark
{
    public const int EventCount = 200_000;
    public const int BatchSize = 500;

    /// <summary>
    /// Events per <c>RecordEventsAsync</c> call (one transaction): GORDON_STORAGE_BENCH_BATCH, default 500 (the plugin's
    /// default batch_size). The baseline stays at one transaction per <see cref="BatchSize"/> events, as the issue asks.
    /// </summary>
    internal static int StoreBatchSize =>
        int.TryParse(Environment.GetEnvironmentVariable("GORDON_STORAGE_BENCH_BATCH"), out var size) && size > 0 ? size : BatchSize;

    private readonly List<List<Event>> _batches = [];
    private List<ValidEvent> _valid = [];
    private BenchmarkPostgres? _postgres;
    private string _directory = string.Empty;
    private SqlEventStore _store = null!;
    private long _typeId;

    /// <summary>The backends to run: GORDON_STORAGE_BENCH_BACKENDS (comma-separated), default both.</summary>
    public static IEnumerable<string> Backends =>
        (Environment.GetEnvironmentVariable("GORDON_STORAGE_BENCH_BACKENDS") ?? "sqlite,postgresql").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>SQLite's synchronous setting: GORDON_STORAGE_BENCH_SYNC=full, default normal (the plugin's default).</summary>
    internal static SqliteSynchronous Synchronous =>
        string.Equals(Environment.GetEnvironmentVariable("GORDON_STORAGE_BENCH_SYNC"), "full", StringComparison.OrdinalIgnoreCase)
            ? SqliteSynchronous.Full
            : SqliteSynchronous.Normal;

    [ParamsSource(nameof(Backends))]
    public string Backend { get; set; } = "sqlite";

    [GlobalSetup]
    public void Setup()
    {
        for (var start = 0; start < EventCount; start += StoreBatchSize)
        {
            _batches.Add(BenchmarkEvents.Range(start, Math.Min(StoreBatchSize, EventCount - start)));
        }

        _valid = [.. _batches.SelectMany(b => b).Select(e => EventValidator.TryValidate(e, out var v, out _) ? v : throw new InvalidOperationException())];
        _directory = Path.Combine(Path.GetTempPath(), "gordon-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        if (Backend == "postgresql")
        {
            _postgres = BenchmarkPostgres.Start();
        }
    }

    [IterationSetup]
    public void FreshStore()
    {
        _store = Backend == "postgresql"
            ? new PostgresEventStore(_postgres!.CreateDatabase(), "postgresql://bench", TimeProvider.System, NullLogger.Instance)
            : new SqliteEventStore(Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db"), TimeProvider.System, NullLogger.Instance, Synchronous);
        _store.UpgradeAsync(CancellationToken.None).GetAwaiter().GetResult();
        _typeId = PrepareTypeAsync().GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void DropStore() => _store.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _postgres?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public void RecordEvents()
    {
        foreach (var batch in _batches)
        {
            var results = _store.RecordEventsAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
            if (results[^1].Status != RecordStatus.Recorded)
            {
                throw new InvalidOperationException($"not recorded: {results[^1]}");
            }
        }
    }

    [Benchmark(Baseline = true)]
    public void RawPreparedStatements() => RawAsync().GetAwaiter().GetResult();

    private async Task RawAsync()
    {
        await using var connection = await _store.OpenConnectionAsync(CancellationToken.None);
        var time = _store.TimeValue(0);
        await using var insertEvent = Prepare(connection, "INSERT INTO event (message_id, generated, raw, event_type_id) VALUES (@p0, @p1, @p2, @p3) RETURNING id", "", time, "", 0L);
        await using var text = Prepare(connection, "INSERT INTO trait_text (event_id, \"key\", value) VALUES (@p0, @p1, @p2)", 0L, "", "");
        await using var integer = Prepare(connection, "INSERT INTO trait_int (event_id, \"key\", value) VALUES (@p0, @p1, @p2)", 0L, "", 0L);
        await using var real = Prepare(connection, "INSERT INTO trait_float (event_id, \"key\", value) VALUES (@p0, @p1, @p2)", 0L, "", 0.0);
        await using var date = Prepare(connection, "INSERT INTO trait_datetime (event_id, \"key\", value) VALUES (@p0, @p1, @p2)", 0L, "", time);
        DbCommand[] all = [insertEvent, text, integer, real, date];
        for (var start = 0; start < _valid.Count; start += BatchSize)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var command in all)
            {
                command.Transaction = transaction;
            }

            for (var i = start; i < start + BatchSize; i++)
            {
                var e = _valid[i];
                insertEvent.Parameters[0].Value = e.MessageId;
                insertEvent.Parameters[1].Value = _store.TimeValue(e.GeneratedMicros);
                insertEvent.Parameters[2].Value = e.Raw;
                insertEvent.Parameters[3].Value = _typeId;
                var id = Convert.ToInt64(await insertEvent.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
                foreach (var (key, value) in e.Texts)
                {
                    await RunAsync(text, id, key, value!);
                }

                foreach (var (key, value) in e.Integers)
                {
                    await RunAsync(integer, id, key, value);
                }

                foreach (var (key, value) in e.Floats)
                {
                    await RunAsync(real, id, key, value);
                }

                foreach (var (key, value) in e.DateTimes)
                {
                    await RunAsync(date, id, key, _store.TimeValue(value));
                }
            }

            await transaction.CommitAsync();
        }
    }

    private static DbCommand Prepare(DbConnection connection, string sql, params object[] samples)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < samples.Length; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            p.Value = samples[i];
            command.Parameters.Add(p);
        }

        command.Prepare();
        return command;
    }

    private static Task RunAsync(DbCommand command, long id, string key, object value)
    {
        command.Parameters[0].Value = id;
        command.Parameters[1].Value = key;
        command.Parameters[2].Value = value;
        return command.ExecuteNonQueryAsync();
    }

    private async Task<long> PrepareTypeAsync()
    {
        // The type row the baseline's events point at (the store creates its own through get-or-create).
        await using var connection = await _store.OpenConnectionAsync(CancellationToken.None);
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO event_type (\"desc\") VALUES ('burrow.consumer_status') RETURNING id";
        return Convert.ToInt64(await insert.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
