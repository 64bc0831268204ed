using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Gordon.Plugins.Storage.Stores.Sql;

/// <summary>
/// MariaDB (and MySQL): InnoDB tables in <c>utf8mb4_bin</c> (code-point order and case-sensitive message ids),
/// timestamps as DECIMAL(20,6) epoch seconds as Panko, and a batch inserted with multi-row statements.
/// DDL commits implicitly here, so every migration statement is idempotent (<c>IF NOT EXISTS</c>) and the
/// version row is written last: a migration cut short is simply run again.
/// </summary>
internal sealed class MariaDbEventStore : SqlEventStore
{
    private const string Table = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

    /// <summary>The expiry lock's name (an SQL expression): one per database, so two stores on one server do not block each other.</summary>
    internal const string ExpiryLockName = "CONCAT('gordon_storage_expiry.', DATABASE())";

    /// <summary>Rows per multi-row INSERT, keeping statements well below the packet and placeholder limits.</summary>
    private const int RowsPerStatement = 1000;

    private static readonly Migration[] Steps =
    [
        new(1, "event store: event_type, event, trait tables and query indexes",
        [
            """
            CREATE TABLE IF NOT EXISTS event_type (
                id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                `desc` VARCHAR(255) NOT NULL,
                UNIQUE KEY uq_event_type_desc (`desc`))
            """ + Table,
            """
            CREATE TABLE IF NOT EXISTS event (
                id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                message_id VARCHAR(255) NOT NULL,
                generated DECIMAL(20,6) NOT NULL,
                raw LONGTEXT NOT NULL,
                event_type_id BIGINT NOT NULL,
                UNIQUE KEY uq_event_message_id (message_id),
                KEY ix_event_generated (generated, message_id),
                KEY ix_event_type_id (event_type_id, generated),
                CONSTRAINT fk_event_event_type FOREIGN KEY (event_type_id) REFERENCES event_type (id))
            """ + Table,
            TraitDdl("trait_text", "VARCHAR(255) NULL"),
            TraitDdl("trait_int", "BIGINT NULL"),
            TraitDdl("trait_float", "DOUBLE NULL"),
            TraitDdl("trait_datetime", "DECIMAL(20,6) NULL"),
        ]),
    ];

    private readonly string _connectionString;

    public MariaDbEventStore(string connectionString, string description, TimeProvider time, ILogger logger)
        : base(description, time, logger)
    {
        _connectionString = connectionString;
    }

    protected override IReadOnlyList<Migration> Migrations => Steps;

    protected override string VersionTableDdl =>
        "CREATE TABLE IF NOT EXISTS gordon_schema_version (version INT NOT NULL PRIMARY KEY, description VARCHAR(255) NOT NULL, applied DECIMAL(20,6) NOT NULL)" + Table;

    protected override string InsertEventTypeSql => "INSERT IGNORE INTO event_type (`desc`) VALUES (@p0)";

    public override ValueTask DisposeAsync()
    {
        using var connection = new MySqlConnection(_connectionString);
        MySqlConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    protected internal override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected internal override string Q(string identifier) => "`" + identifier + "`";

    protected internal override object TimeValue(long micros) => TimeCodec.ToEpochSeconds(micros);

    protected internal override long ReadTime(DbDataReader reader, int ordinal) => TimeCodec.FromEpochSeconds(reader.GetDecimal(ordinal));

    // READ COMMITTED: a type row another writer committed a moment ago is visible to our next lookup.
    protected override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

    // GET_LOCK belongs to the session, and pooled sessions live on: the handle releases it explicitly.
    protected override async Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var mysql = (MySqlConnection)connection;
        await using var command = new MySqlCommand("SELECT GET_LOCK(CONCAT('gordon_storage_migration.', DATABASE()), 60)", mysql, (MySqlTransaction)transaction);
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) != 1)
        {
            throw new TimeoutException("another daemon has been migrating this database for 60 s; try again when it is done");
        }

        return new MigrationLock(mysql, (MySqlTransaction)transaction);
    }

    // Daemons sharing the database expire one at a time (issue 14), as PostgreSQL's advisory lock: GET_LOCK with timeout 0
    // belongs to the session, so it is taken once for the whole run and released explicitly (the pooled session lives on).
    protected override async Task<IAsyncDisposable?> TryLockExpiryRunAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var mysql = (MySqlConnection)connection;
        await using var command = new MySqlCommand($"SELECT GET_LOCK({ExpiryLockName}, 0)", mysql);
        var taken = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return taken is not null and not DBNull && Convert.ToInt64(taken, System.Globalization.CultureInfo.InvariantCulture) == 1
            ? new ExpiryLock(mysql)
            : null;
    }

    protected override async Task<bool[]> InsertEventsAsync(
        DbConnection connection,
        DbTransaction transaction,
        IReadOnlyList<ValidEvent> events,
        IReadOnlyDictionary<string, long> typeIds,
        CancellationToken cancellationToken)
    {
        var inserted = new bool[events.Count];
        var existing = new HashSet<string>(StringComparer.Ordinal);
        for (var start = 0; start < events.Count; start += RowsPerStatement)
        {
            var end = Math.Min(events.Count, start + RowsPerStatement);
            var check = new SqlText().Append("SELECT message_id FROM event WHERE message_id IN (");
            for (var i = start; i < end; i++)
            {
                check.Append(i == start ? string.Empty : ", ").AppendParam(events[i].MessageId);
            }

            check.Append(")");
            await using var command = check.CreateCommand(connection, transaction);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                existing.Add(reader.GetString(0));
            }
        }

        var fresh = new List<int>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (!existing.Contains(events[i].MessageId))
            {
                fresh.Add(i);
                inserted[i] = true;
            }
        }

        var ids = new Dictionary<string, long>(fresh.Count, StringComparer.Ordinal);
        for (var start = 0; start < fresh.Count; start += RowsPerStatement)
        {
            var end = Math.Min(fresh.Count, start + RowsPerStatement);
            var insert = new SqlText().Append("INSERT INTO event (message_id, generated, raw, event_type_id) VALUES ");
            for (var j = start; j < end; j++)
            {
                var e = events[fresh[j]];
                insert.Append(j == start ? "(" : ", (").AppendParam(e.MessageId).Append(", ").AppendParam(TimeCodec.ToEpochSeconds(e.GeneratedMicros))
                    .Append(", ").AppendParam(e.Raw).Append(", ").AppendParam(typeIds[e.EventType]).Append(")");
            }

            // A message id stored by a concurrent writer since the check fails the statement: the store then retries alone.
            insert.Append(" RETURNING id, message_id");
            await using var command = insert.CreateCommand(connection, transaction);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids[reader.GetString(1)] = reader.GetInt64(0);
            }
        }

        var text = new List<(long, string, object)>();
        var integers = new List<(long, string, object)>();
        var floats = new List<(long, string, object)>();
        var dates = new List<(long, string, object)>();
        foreach (var i in fresh)
        {
            var e = events[i];
            var id = ids[e.MessageId];
            text.AddRange(e.Texts.Select(t => (id, t.Key, (object)t.Value!)));
            integers.AddRange(e.Integers.Select(t => (id, t.Key, (object)t.Value)));
            floats.AddRange(e.Floats.Select(t => (id, t.Key, (object)t.Value)));
            dates.AddRange(e.DateTimes.Select(t => (id, t.Key, (object)TimeCodec.ToEpochSeconds(t.Value))));
        }

        await InsertTraitsAsync(connection, transaction, "trait_text", text, cancellationToken).ConfigureAwait(false);
        await InsertTraitsAsync(connection, transaction, "trait_int", integers, cancellationToken).ConfigureAwait(false);
        await InsertTraitsAsync(connection, transaction, "trait_float", floats, cancellationToken).ConfigureAwait(false);
        await InsertTraitsAsync(connection, transaction, "trait_datetime", dates, cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    protected override bool IsConnectionFailure(Exception exception) => exception is MySqlException
    {
        ErrorCode: MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.ConnectionCountError or MySqlErrorCode.ServerShutdown
            or MySqlErrorCode.CommandTimeoutExpired or MySqlErrorCode.AccessDenied,
    };

    protected override bool IsUniqueViolation(Exception exception) =>
        exception is MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry };

    private static string TraitDdl(string table, string type) =>
        $"""
        CREATE TABLE IF NOT EXISTS {table} (
            event_id BIGINT NOT NULL,
            `key` VARCHAR(255) NOT NULL,
            value {type},
            PRIMARY KEY (event_id, `key`),
            KEY ix_{table}_key_value (`key`, value),
            CONSTRAINT fk_{table}_event FOREIGN KEY (event_id) REFERENCES event (id))
        """ + Table;

    private static async Task InsertTraitsAsync(
        DbConnection connection, DbTransaction transaction, string table, List<(long Id, string Key, object Value)> rows, CancellationToken cancellationToken)
    {
        for (var start = 0; start < rows.Count; start += RowsPerStatement)
        {
            var end = Math.Min(rows.Count, start + RowsPerStatement);
            var sql = new SqlText().Append($"INSERT INTO {table} (event_id, `key`, value) VALUES ");
            for (var i = start; i < end; i++)
            {
                sql.Append(i == start ? "(" : ", (").AppendParam(rows[i].Id).Append(", ").AppendParam(rows[i].Key).Append(", ")
                    .AppendParam(rows[i].Value).Append(")");
            }

            await using var command = sql.CreateCommand(connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class MigrationLock(MySqlConnection connection, MySqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Still inside the transaction when the migration failed; after a commit the transaction has no connection.
            await using var command = new MySqlCommand(
                "SELECT RELEASE_LOCK(CONCAT('gordon_storage_migration.', DATABASE()))", connection, transaction.Connection is null ? null : transaction);
            await command.ExecuteScalarAsync().ConfigureAwait(false);
        }
    }

    private sealed class ExpiryLock(MySqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Not cancellable: a lock left behind would stop every other daemon's expiry until this session ends.
            try
            {
                await using var command = new MySqlCommand($"SELECT RELEASE_LOCK({ExpiryLockName})", connection);
                await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (MySqlException)
            {
                // The session is gone (the run failed on a broken connection), and its lock with it.
            }
        }
    }
}
