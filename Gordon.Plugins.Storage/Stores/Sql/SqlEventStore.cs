using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Gordon.Abstractions.Events;
using Gordon.Plugins.Storage.Model;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Storage.Stores.Sql;

/// <summary>
/// Panko's SQL driver over ADO.NET. The SQL is shared; a backend supplies its connection, identifier quoting,
/// timestamp encoding, migrations and its fastest way to insert a batch.
/// </summary>
internal abstract partial class SqlEventStore : IEventStore
{
    /// <summary>Events read per round trip when streaming a query; traits are loaded per chunk.</summary>
    internal const int ChunkSize = 500;

    /// <summary>Events deleted per transaction when clearing expired data, so a large purge holds no long lock.</summary>
    internal const int ExpireChunkSize = 1000;

    private static readonly string[] DeleteOrder = ["trait_text", "trait_int", "trait_float", "trait_datetime", "event"];

    private readonly ConcurrentDictionary<string, long> _typeIds = new(StringComparer.Ordinal);

    protected SqlEventStore(string description, TimeProvider time, ILogger logger)
    {
        Description = description;
        Time = time;
        Logger = logger;
    }

    public string Description { get; }

    public StorageCapabilities Capabilities => StorageCapabilities.Sql;

    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    /// <summary>The schema steps of this backend, in order.</summary>
    protected abstract IReadOnlyList<Migration> Migrations { get; }

    /// <summary>
    /// Events a trait-filtered page may walk in sort order before the query falls back to the trait indexes; 0 never
    /// walks (the backend's planner chooses from its statistics).
    /// </summary>
    protected virtual int ScanWindow => 0;

    /// <summary>Creates the version table if it is missing.</summary>
    protected abstract string VersionTableDdl { get; }

    /// <summary>Inserts an event type unless it exists (no error on a duplicate); one parameter, the name.</summary>
    protected abstract string InsertEventTypeSql { get; }

    public abstract ValueTask DisposeAsync();

    /// <summary>Opens a connection ready for use (session settings applied).</summary>
    protected internal abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Quotes an identifier (<c>desc</c> and <c>key</c> are reserved words).</summary>
    protected internal abstract string Q(string identifier);

    /// <summary>A timestamp (microseconds since the epoch) as this backend's parameter value.</summary>
    protected internal abstract object TimeValue(long micros);

    /// <summary>Reads a timestamp column as microseconds since the epoch.</summary>
    protected internal abstract long ReadTime(DbDataReader reader, int ordinal);

    /// <summary>Starts a transaction that will write (SQLite: BEGIN IMMEDIATE, so two writers never deadlock).</summary>
    protected abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the expiry lock for the transaction, without waiting; false when another daemon holds it. Stores that
    /// only one process writes (SQLite) need none.
    /// </summary>
    protected virtual Task<bool> TryLockForExpiryAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    /// <summary>
    /// Takes the expiry lock for a whole run on the connection (a session lock), without waiting; null when another
    /// daemon holds it. Disposing the handle releases it. Stores with a transaction-scoped lock (PostgreSQL) or a single
    /// writer (SQLite) need none.
    /// </summary>
    protected virtual Task<IAsyncDisposable?> TryLockExpiryRunAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable?>(NoLock.Instance);

    /// <summary>Serialises migrations between daemons sharing the database, until the returned handle is disposed.</summary>
    protected abstract Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts the events and their traits in the open transaction, skipping message ids already stored.
    /// The events have distinct message ids. Returns, per event, true when inserted and false for a duplicate.
    /// </summary>
    protected abstract Task<bool[]> InsertEventsAsync(
        DbConnection connection,
        DbTransaction transaction,
        IReadOnlyList<ValidEvent> events,
        IReadOnlyDictionary<string, long> typeIds,
        CancellationToken cancellationToken);

    /// <summary>True when the failure is the database being unreachable, so retrying event by event is pointless.</summary>
    protected abstract bool IsConnectionFailure(Exception exception);

    /// <summary>True for a unique-key violation (a concurrent writer stored the same message id first).</summary>
    protected abstract bool IsUniqueViolation(Exception exception);

    public async Task<SchemaUpgrade> UpgradeAsync(CancellationToken cancellationToken)
    {
        var latest = Migrations[^1].Version;
        int? from = null;
        while (true)
        {
            var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                await using (await LockForMigrationAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
                {
                    await ExecuteAsync(connection, transaction, VersionTableDdl, cancellationToken).ConfigureAwait(false);
                    var current = await ReadSchemaVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                    from ??= current;
                    if (current > latest)
                    {
                        throw new SchemaVersionException(
                            $"the store {Description} has schema version {current}, but this daemon knows versions up to {latest}: "
                            + "a newer gordon wrote it; upgrade this daemon (it will not write to a schema it does not know)");
                    }

                    var next = Migrations.FirstOrDefault(m => m.Version == current + 1);
                    if (next is null)
                    {
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return new SchemaUpgrade(from.Value, current);
                    }

                    foreach (var statement in next.Statements)
                    {
                        await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
                    }

                    var record = new SqlText()
                        .Append("INSERT INTO gordon_schema_version (version, description, applied) VALUES (")
                        .AppendParam(next.Version).Append(", ").AppendParam(next.Description).Append(", ")
                        .AppendParam(TimeValue(TimeCodec.ToMicros(Time.GetUtcNow()))).Append(")");
                    await using (var command = record.CreateCommand(connection, transaction))
                    {
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    Log.Migrated(Logger, Description, next.Version, next.Description);
                }
            }
        }
    }

    /// <summary>The schema version recorded in the store (0 when none).</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, null, VersionTableDdl, cancellationToken).ConfigureAwait(false);
            return await ReadSchemaVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<RecordResult>> RecordEventsAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var results = new RecordResult[events.Count];
        var valid = new List<ValidEvent>(events.Count);
        var indexes = new List<int>(events.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var @event = events[i];
            if (!EventValidator.TryValidate(@event, out var ok, out var reason))
            {
                results[i] = new RecordResult(@event.MessageId ?? string.Empty, RecordStatus.Invalid, reason);
            }
            else if (!seen.Add(ok.MessageId))
            {
                results[i] = new RecordResult(ok.MessageId, RecordStatus.Duplicate);
            }
            else
            {
                valid.Add(ok);
                indexes.Add(i);
            }
        }

        if (valid.Count == 0)
        {
            return results;
        }

        try
        {
            var inserted = await WriteAsync(valid, cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < valid.Count; j++)
            {
                results[indexes[j]] = new RecordResult(valid[j].MessageId, inserted[j] ? RecordStatus.Recorded : RecordStatus.Duplicate);
            }

            return results;
        }
        catch (Exception e) when (IsDatabaseError(e) && !cancellationToken.IsCancellationRequested)
        {
            // The cache may name an event type that a concurrent purge deleted: resolve types afresh.
            _typeIds.Clear();
            if (valid.Count == 1 || IsConnectionFailure(e))
            {
                Log.BatchFailed(Logger, Description, valid.Count, e);
                for (var j = 0; j < valid.Count; j++)
                {
                    results[indexes[j]] = new RecordResult(valid[j].MessageId, RecordStatus.Failed, Describe(e));
                }

                return results;
            }

            Log.BatchRetriedAlone(Logger, Description, valid.Count, e.Message);
        }

        // The batch failed as a whole: each event alone, so one bad event cannot sink the others.
        for (var j = 0; j < valid.Count; j++)
        {
            results[indexes[j]] = await WriteAloneAsync(valid[j], cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    public async IAsyncEnumerable<Event> GetEventsAsync(
        EventFilter filter, Pagination pagination, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(pagination);
        var remaining = pagination.Limit;
        if (remaining is <= 0)
        {
            yield break;
        }

        var sort = pagination.EffectiveSort;
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            (long Generated, string MessageId)? after = null;
            if (pagination.Marker is { } marker)
            {
                after = await FindMarkerAsync(connection, marker, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidMarkerException($"Marker {marker} not found.");
            }

            while (true)
            {
                var chunk = Math.Min(remaining ?? ChunkSize, ChunkSize);
                var rows = await QueryChunkAsync(connection, filter, sort, after, chunk, cancellationToken).ConfigureAwait(false);
                if (rows.Count == 0)
                {
                    yield break;
                }

                var traits = await LoadTraitsAsync(connection, rows, cancellationToken).ConfigureAwait(false);
                foreach (var row in rows)
                {
                    yield return new Event
                    {
                        MessageId = row.MessageId,
                        EventType = row.EventType,
                        Generated = TimeCodec.FromMicros(row.Generated),
                        Raw = Encoding.UTF8.GetBytes(row.Raw),
                        Traits = traits.TryGetValue(row.Id, out var list) ? list : [],
                    };
                }

                remaining -= rows.Count;
                if (remaining is 0 || rows.Count < chunk)
                {
                    yield break;
                }

                after = (rows[^1].Generated, rows[^1].MessageId);
            }
        }
    }

    public async IAsyncEnumerable<string> GetEventTypesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var sql = new SqlText().Append($"SELECT {Q("desc")} FROM event_type");
            var names = new List<string>();
            await using (var command = sql.CreateCommand(connection))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        names.Add(reader.GetString(0));
                    }
                }
            }

            // Sorted here, not by ORDER BY: the same code-point order on every backend.
            names.Sort(StringComparer.Ordinal);
            foreach (var name in names)
            {
                yield return name;
            }
        }
    }

    public async IAsyncEnumerable<TraitDescription> GetTraitTypesAsync(
        string eventType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            foreach (var (table, type) in TraitTable.All)
            {
                var sql = new SqlText().Append($"SELECT DISTINCT t.{Q("key")}");
                sql.Append(type == TraitType.String ? ", CASE WHEN t.value IS NULL THEN 1 ELSE 0 END" : ", 0");
                sql.Append($" FROM {table} t JOIN event e ON e.id = t.event_id JOIN event_type et ON et.id = e.event_type_id WHERE et.{Q("desc")} = ")
                    .AppendParam(eventType);
                var found = new List<TraitDescription>();
                await using (var command = sql.CreateCommand(connection))
                {
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            var isNone = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture) == 1;
                            found.Add(new TraitDescription(reader.GetString(0), isNone ? TraitType.None : type));
                        }
                    }
                }

                found.Sort((a, b) => a.Name == b.Name ? a.Type.CompareTo(b.Type) : string.CompareOrdinal(a.Name, b.Name));
                foreach (var description in found)
                {
                    yield return description;
                }
            }
        }
    }

    public async IAsyncEnumerable<Trait> GetTraitsAsync(
        string eventType, string? traitName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            foreach (var (table, type) in TraitTable.All)
            {
                var sql = new SqlText()
                    .Append($"SELECT t.{Q("key")}, t.value FROM {table} t JOIN event e ON e.id = t.event_id ")
                    .Append($"JOIN event_type et ON et.id = e.event_type_id WHERE et.{Q("desc")} = ").AppendParam(eventType);
                if (traitName is not null)
                {
                    sql.Append($" AND t.{Q("key")} = ").AppendParam(traitName);
                }

                sql.Append($" ORDER BY t.{Q("key")}, e.id");
                var command = sql.CreateCommand(connection);
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            yield return ReadTrait(reader, reader.GetString(0), type, 1);
                        }
                    }
                }
            }
        }
    }

    public async Task<long> ClearExpiredDataAsync(TimeSpan ttl, long? maxCount, CancellationToken cancellationToken)
    {
        var cutoff = TimeCodec.ToMicros(Time.GetUtcNow() - ttl);
        long deleted = 0;
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var runLock = await TryLockExpiryRunAsync(connection, cancellationToken).ConfigureAwait(false);
            if (runLock is null)
            {
                // Another daemon sharing this database expires right now: one at a time is enough.
                Log.ExpirySkipped(Logger, Description);
                return 0;
            }

            await using (runLock.ConfigureAwait(false))
            {
                deleted = await DeleteExpiredAsync(connection, cutoff, maxCount, cancellationToken).ConfigureAwait(false);
            }
        }

        _typeIds.Clear();
        Log.Expired(Logger, Description, deleted);
        return deleted;
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Fixed DDL and maintenance statements of this assembly.
        command.CommandText = sql;
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected static void AppendList(SqlText sql, IReadOnlyList<long> ids)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            sql.Append(i == 0 ? string.Empty : ", ").AppendParam(ids[i]);
        }
    }

    private static bool IsDatabaseError(Exception e) => e is DbException or InvalidOperationException or TimeoutException or IOException;

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";

    private static async Task<int> ReadSchemaVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM gordon_schema_version";
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<long> DeleteExpiredAsync(DbConnection connection, long cutoff, long? maxCount, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (maxCount is null || deleted < maxCount)
        {
            var take = (int)Math.Min(ExpireChunkSize, (maxCount ?? long.MaxValue) - deleted);
            var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (!await TryLockForExpiryAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
                {
                    // Another daemon sharing this database expires right now: one at a time is enough.
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }

                var select = new SqlText().Append("SELECT id FROM event WHERE generated < ").AppendParam(TimeValue(cutoff))
                    .Append(" LIMIT ").AppendParam(take);
                var ids = new List<long>(take);
                await using (var command = select.CreateCommand(connection, transaction))
                {
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            ids.Add(reader.GetInt64(0));
                        }
                    }
                }

                if (ids.Count == 0)
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }

                foreach (var table in DeleteOrder)
                {
                    var delete = new SqlText().Append($"DELETE FROM {table} WHERE {(table == "event" ? "id" : "event_id")} IN (");
                    AppendList(delete, ids);
                    delete.Append(")");
                    await using var command = delete.CreateCommand(connection, transaction);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                deleted += ids.Count;
                if (ids.Count < take)
                {
                    break;
                }
            }
        }

        var purge = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (purge.ConfigureAwait(false))
        {
            await ExecuteAsync(
                connection,
                purge,
                "DELETE FROM event_type WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.event_type_id = event_type.id)",
                cancellationToken).ConfigureAwait(false);
            await purge.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    private async Task<RecordResult> WriteAloneAsync(ValidEvent @event, CancellationToken cancellationToken)
    {
        try
        {
            var inserted = await WriteAsync([@event], cancellationToken).ConfigureAwait(false);
            return new RecordResult(@event.MessageId, inserted[0] ? RecordStatus.Recorded : RecordStatus.Duplicate);
        }
        catch (Exception e) when (IsDatabaseError(e) && !cancellationToken.IsCancellationRequested)
        {
            _typeIds.Clear();
            if (IsUniqueViolation(e))
            {
                // Another writer stored the same message id between our check and our insert.
                return new RecordResult(@event.MessageId, RecordStatus.Duplicate);
            }

            Log.EventFailed(Logger, Description, @event.MessageId, e);
            return new RecordResult(@event.MessageId, RecordStatus.Failed, Describe(e));
        }
    }

    private async Task<bool[]> WriteAsync(IReadOnlyList<ValidEvent> events, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var created = new Dictionary<string, long>(StringComparer.Ordinal);
                var typeIds = await ResolveTypesAsync(connection, transaction, events, created, cancellationToken).ConfigureAwait(false);
                var inserted = await InsertEventsAsync(connection, transaction, events, typeIds, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

                // Only committed ids go to the cache: a rolled-back type row never existed.
                foreach (var (name, id) in created)
                {
                    _typeIds[name] = id;
                }

                return inserted;
            }
        }
    }

    private async Task<IReadOnlyDictionary<string, long>> ResolveTypesAsync(
        DbConnection connection,
        DbTransaction transaction,
        IReadOnlyList<ValidEvent> events,
        Dictionary<string, long> created,
        CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var @event in events)
        {
            var name = @event.EventType;
            if (ids.ContainsKey(name))
            {
                continue;
            }

            if (_typeIds.TryGetValue(name, out var cached))
            {
                ids[name] = cached;
                continue;
            }

            // Get or create, race-free: insert-if-missing, then read whichever row won (Panko LP #1254800).
            await using (var insert = new SqlText().Append(InsertEventTypeSql).CreateCommand(connection, transaction))
            {
                var parameter = insert.CreateParameter();
                parameter.ParameterName = "@p0";
                parameter.Value = name;
                insert.Parameters.Add(parameter);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var select = new SqlText().Append($"SELECT id FROM event_type WHERE {Q("desc")} = ").AppendParam(name);
            await using (var command = select.CreateCommand(connection, transaction))
            {
                var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                ids[name] = id;
                created[name] = id;
            }
        }

        return ids;
    }

    private async Task<(long Generated, string MessageId)?> FindMarkerAsync(DbConnection connection, string marker, CancellationToken cancellationToken)
    {
        var sql = new SqlText().Append("SELECT generated, message_id FROM event WHERE message_id = ").AppendParam(marker);
        await using var command = sql.CreateCommand(connection);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? (ReadTime(reader, 0), reader.GetString(1))
                : null;
        }
    }

    private async Task<List<EventRow>> QueryChunkAsync(
        DbConnection connection,
        EventFilter filter,
        IReadOnlyList<SortOrder> sort,
        (long Generated, string MessageId)? after,
        int limit,
        CancellationToken cancellationToken)
    {
        if (ScanWindow > 0 && filter.TraitFilters.Count > 0 && filter.MessageId is null && sort.All(o => o.Descending == sort[0].Descending))
        {
            // Common trait values: walking the events in sort order and probing each one's traits finds a page after a
            // few thousand events, where the trait indexes would hand over every match to be sorted. The walk is bounded
            // to the next ScanWindow events; a page that is not full within them comes from the trait indexes instead.
            var bound = await FindScanBoundAsync(connection, filter, sort, after, cancellationToken).ConfigureAwait(false);
            var scanned = await ReadRowsAsync(connection, BuildQuery(filter, sort, after, limit, bound, ordered: true), limit, cancellationToken).ConfigureAwait(false);
            if (scanned.Count == limit || bound is null)
            {
                return scanned;
            }
        }

        return await ReadRowsAsync(connection, BuildQuery(filter, sort, after, limit, null, ordered: false), limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The sort key of the <see cref="ScanWindow"/>-th event after the marker (in the time range); null when there are fewer.</summary>
    private async Task<(long Generated, string MessageId)?> FindScanBoundAsync(
        DbConnection connection,
        EventFilter filter,
        IReadOnlyList<SortOrder> sort,
        (long Generated, string MessageId)? after,
        CancellationToken cancellationToken)
    {
        var sql = new SqlText().Append("SELECT e.generated, e.message_id FROM event e WHERE 1 = 1");
        AppendTimeRange(sql, filter);
        if (after is { } marker)
        {
            AppendKeyset(sql, sort, marker, after: true);
        }

        AppendOrderBy(sql, sort);
        sql.Append(" LIMIT 1 OFFSET ").AppendParam(ScanWindow - 1);
        await using var command = sql.CreateCommand(connection);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (ReadTime(reader, 0), reader.GetString(1)) : null;
        }
    }

    /// <summary>
    /// The page query. <paramref name="ordered"/>: trait filters as <c>EXISTS</c> probes of each event taken in sort order
    /// (up to <paramref name="bound"/>); otherwise as joins, which the planner drives from the trait indexes. The two
    /// select the same events: a trait table holds at most one row per event and name.
    /// </summary>
    private SqlText BuildQuery(
        EventFilter filter,
        IReadOnlyList<SortOrder> sort,
        (long Generated, string MessageId)? after,
        int limit,
        (long Generated, string MessageId)? bound,
        bool ordered)
    {
        var sql = new SqlText().Append($"SELECT e.id, e.message_id, e.generated, e.raw, et.{Q("desc")} FROM event e JOIN event_type et ON et.id = e.event_type_id");
        var alias = 0;
        foreach (var trait in filter.TraitFilters)
        {
            var t = "t" + alias++.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!ordered)
            {
                sql.Append($" JOIN {TraitTable.For(trait.Value.Type)} {t} ON {t}.event_id = e.id AND {t}.{Q("key")} = ").AppendParam(trait.Name)
                    .Append($" AND {t}.value {OperatorSql(trait.Operator)} ").AppendParam(TraitValue(trait.Value));
            }
        }

        sql.Append(" WHERE 1 = 1");
        if (ordered)
        {
            alias = 0;
            foreach (var trait in filter.TraitFilters)
            {
                var t = "t" + alias++.ToString(System.Globalization.CultureInfo.InvariantCulture);
                sql.Append($" AND EXISTS (SELECT 1 FROM {TraitTable.For(trait.Value.Type)} {t} WHERE {t}.event_id = e.id AND {t}.{Q("key")} = ").AppendParam(trait.Name)
                    .Append($" AND {t}.value {OperatorSql(trait.Operator)} ").AppendParam(TraitValue(trait.Value)).Append(")");
            }
        }

        AppendTimeRange(sql, filter);
        if (filter.EventType is { } type)
        {
            sql.Append($" AND et.{Q("desc")} = ").AppendParam(type);
        }

        if (filter.MessageId is { } messageId)
        {
            sql.Append(" AND e.message_id = ").AppendParam(messageId);
        }

        if (filter.AdminProject is { } project)
        {
            // Visible to an admin: its project's events and events without a project (whatever their other traits).
            sql.Append($" AND NOT EXISTS (SELECT 1 FROM trait_text ap WHERE ap.event_id = e.id AND ap.{Q("key")} = 'project_id'")
                .Append(" AND (ap.value IS NULL OR ap.value <> ").AppendParam(project).Append("))");
        }

        if (after is { } marker)
        {
            AppendKeyset(sql, sort, marker, after: true);
        }

        if (bound is { } last)
        {
            AppendKeyset(sql, sort, last, after: false);
        }

        AppendOrderBy(sql, sort);
        sql.Append(" LIMIT ").AppendParam(limit);
        return sql;
    }

    private void AppendTimeRange(SqlText sql, EventFilter filter)
    {
        if (filter.StartTimestamp is { } start)
        {
            sql.Append(" AND e.generated >= ").AppendParam(TimeValue(TimeCodec.ToMicros(start)));
        }

        if (filter.EndTimestamp is { } end)
        {
            sql.Append(" AND e.generated <= ").AppendParam(TimeValue(TimeCodec.ToMicros(end)));
        }
    }

    private static void AppendOrderBy(SqlText sql, IReadOnlyList<SortOrder> sort)
    {
        sql.Append(" ORDER BY ");
        for (var i = 0; i < sort.Count; i++)
        {
            sql.Append(i == 0 ? string.Empty : ", ").Append(SortColumn(sort[i].Key)).Append(sort[i].Descending ? " DESC" : " ASC");
        }
    }

    private async Task<List<EventRow>> ReadRowsAsync(DbConnection connection, SqlText sql, int limit, CancellationToken cancellationToken)
    {
        var rows = new List<EventRow>(Math.Min(limit, ChunkSize));
        await using var command = sql.CreateCommand(connection);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new EventRow(reader.GetInt64(0), reader.GetString(1), ReadTime(reader, 2), reader.GetString(3), reader.GetString(4)));
            }
        }

        return rows;
    }

    /// <summary>
    /// Rows strictly after <paramref name="marker"/> in the sort order (<paramref name="after"/>), or at or before it.
    /// The first key's range (inclusive) is stated on its own as well, so every backend can seek its index to it.
    /// </summary>
    private void AppendKeyset(SqlText sql, IReadOnlyList<SortOrder> sort, (long Generated, string MessageId) marker, bool after)
    {
        var first = sort[0];
        sql.Append(" AND ").Append(SortColumn(first.Key)).Append(first.Descending == after ? " <= " : " >= ").AppendParam(MarkerValue(first.Key, marker));

        // Strictly after: (k1 beyond m1) OR (k1 = m1 AND k2 beyond m2) OR ...
        sql.Append(after ? " AND (" : " AND NOT (");
        for (var i = 0; i < sort.Count; i++)
        {
            sql.Append(i == 0 ? "(" : " OR (");
            for (var j = 0; j < i; j++)
            {
                sql.Append(SortColumn(sort[j].Key)).Append(" = ").AppendParam(MarkerValue(sort[j].Key, marker)).Append(" AND ");
            }

            sql.Append(SortColumn(sort[i].Key)).Append(sort[i].Descending ? " < " : " > ").AppendParam(MarkerValue(sort[i].Key, marker)).Append(")");
        }

        sql.Append(")");
    }

    private object MarkerValue(SortKey key, (long Generated, string MessageId) marker) =>
        key == SortKey.Generated ? TimeValue(marker.Generated) : marker.MessageId;

    private static string SortColumn(SortKey key) => key == SortKey.Generated ? "e.generated" : "e.message_id";

    private static string OperatorSql(FilterOperator op) => op switch
    {
        FilterOperator.Eq => "=",
        FilterOperator.Ne => "<>",
        FilterOperator.Lt => "<",
        FilterOperator.Le => "<=",
        FilterOperator.Gt => ">",
        FilterOperator.Ge => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operator"),
    };

    private object TraitValue(Trait value) => value.Type switch
    {
        TraitType.String => value.StringValue,
        TraitType.Integer => value.IntegerValue,
        TraitType.Float => value.FloatValue,
        TraitType.DateTime => TimeValue(TimeCodec.ToMicros(value.DateTimeValue)),
        _ => throw new ArgumentException($"a trait filter needs a string, integer, float or datetime value, not {value.Type}", nameof(value)),
    };

    private async Task<Dictionary<long, List<Trait>>> LoadTraitsAsync(DbConnection connection, List<EventRow> rows, CancellationToken cancellationToken)
    {
        var ids = rows.ConvertAll(r => r.Id);
        var traits = new Dictionary<long, List<Trait>>(rows.Count);
        foreach (var (table, type) in TraitTable.All)
        {
            var sql = new SqlText().Append($"SELECT event_id, {Q("key")}, value FROM {table} WHERE event_id IN (");
            AppendList(sql, ids);
            sql.Append(")");
            await using var command = sql.CreateCommand(connection);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var id = reader.GetInt64(0);
                    if (!traits.TryGetValue(id, out var list))
                    {
                        list = [];
                        traits[id] = list;
                    }

                    list.Add(ReadTrait(reader, reader.GetString(1), type, 2));
                }
            }
        }

        foreach (var list in traits.Values)
        {
            // Sorted by name as Panko's SQL driver returns them; the same name in two tables keeps the table order.
            list.Sort((a, b) => a.Name == b.Name ? a.Type.CompareTo(b.Type) : string.CompareOrdinal(a.Name, b.Name));
        }

        return traits;
    }

    private Trait ReadTrait(DbDataReader reader, string name, TraitType type, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return Trait.None(name);
        }

        return type switch
        {
            TraitType.String => Trait.String(name, reader.GetString(ordinal)),
            TraitType.Integer => Trait.Integer(name, reader.GetInt64(ordinal)),
            TraitType.Float => Trait.Float(name, reader.GetDouble(ordinal)),
            _ => Trait.DateTime(name, TimeCodec.FromMicros(ReadTime(reader, ordinal))),
        };
    }

    private sealed record EventRow(long Id, string MessageId, long Generated, string Raw, string EventType);

    private static partial class Log
    {
        [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Store {Store}: schema migrated to version {Version} ({Description})")]
        public static partial void Migrated(ILogger logger, string store, int version, string description);

        [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Store {Store}: writing a batch of {Count} events failed")]
        public static partial void BatchFailed(ILogger logger, string store, int count, Exception exception);

        [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "Store {Store}: a batch of {Count} events failed ({Reason}); writing each event alone")]
        public static partial void BatchRetriedAlone(ILogger logger, string store, int count, string reason);

        [LoggerMessage(EventId = 9004, Level = LogLevel.Warning, Message = "Store {Store}: event {MessageId} could not be stored")]
        public static partial void EventFailed(ILogger logger, string store, string messageId, Exception exception);

        [LoggerMessage(EventId = 9006, Level = LogLevel.Information, Message = "Store {Store}: another daemon is expiring this database; this run is skipped")]
        public static partial void ExpirySkipped(ILogger logger, string store);

        [LoggerMessage(EventId = 9005, Level = LogLevel.Information, Message = "Store {Store}: {Count} expired events removed")]
        public static partial void Expired(ILogger logger, string store, long count);
    }
}
