using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Storage.Stores.Sql;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a committed batch survives a
/// crash of the daemon (and of the machine). Timestamps are INTEGER microseconds since the epoch.
/// </summary>
internal sealed class SqliteEventStore : SqlEventStore
{
    private static readonly Migration[] Steps =
    [
        new(1, "event store: event_type, event, trait tables and query indexes",
        [
            """
            CREATE TABLE event_type (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                "desc" VARCHAR(255) NOT NULL UNIQUE)
            """,
            """
            CREATE TABLE event (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id VARCHAR(255) NOT NULL UNIQUE,
                generated INTEGER NOT NULL,
                raw TEXT NOT NULL,
                event_type_id INTEGER NOT NULL REFERENCES event_type (id))
            """,
            "CREATE INDEX ix_event_generated ON event (generated, message_id)",
            "CREATE INDEX ix_event_type_id ON event (event_type_id, generated)",
            .. TraitDdl("trait_text", "VARCHAR(255)"),
            .. TraitDdl("trait_int", "BIGINT"),
            .. TraitDdl("trait_float", "DOUBLE"),
            .. TraitDdl("trait_datetime", "INTEGER"),
        ]),
    ];

    private readonly string _connectionString;

    private readonly string _pragmas;

    public SqliteEventStore(string path, TimeProvider time, ILogger logger, SqliteSynchronous synchronous = SqliteSynchronous.Full)
        : base("sqlite://" + path, time, logger)
    {
        Path = path;

        // WAL lets readers (the API, other processes) work while a batch is written; synchronous decides whether a commit
        // is on disk (FULL) or in the OS cache (NORMAL) when the handler acknowledges it; foreign keys keep traits from
        // pointing at deleted events; a 64 MiB page cache, because the trait indexes take inserts all over their B-trees.
        _pragmas = $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous.ToString().ToUpperInvariant()}; PRAGMA foreign_keys = ON; "
            + "PRAGMA busy_timeout = 30000; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY";
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,

            // Seconds a statement waits for another writer's lock (SQLITE_BUSY) before failing.
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    protected override IReadOnlyList<Migration> Migrations => Steps;

    protected override string VersionTableDdl =>
        "CREATE TABLE IF NOT EXISTS gordon_schema_version (version INTEGER PRIMARY KEY, description VARCHAR(255) NOT NULL, applied INTEGER NOT NULL)";

    protected override string InsertEventTypeSql => "INSERT INTO event_type (\"desc\") VALUES (@p0) ON CONFLICT (\"desc\") DO NOTHING";

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open (and its WAL): release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    protected internal override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();

            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected internal override string Q(string identifier) => "\"" + identifier + "\"";

    protected internal override object TimeValue(long micros) => micros;

    protected internal override long ReadTime(DbDataReader reader, int ordinal) => reader.GetInt64(ordinal);

    protected override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    // BEGIN IMMEDIATE already holds the write lock.
    protected override Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    protected override Task<bool[]> InsertEventsAsync(
        DbConnection connection,
        DbTransaction transaction,
        IReadOnlyList<ValidEvent> events,
        IReadOnlyDictionary<string, long> typeIds,
        CancellationToken cancellationToken)
    {
        // In-process: prepared statements reused for every row beat building multi-row statements.
        var sqlite = (SqliteConnection)connection;
        var tx = (SqliteTransaction)transaction;
        using var insertEvent = Command(
            sqlite,
            tx,
            "INSERT INTO event (message_id, generated, raw, event_type_id) VALUES (@m, @g, @r, @t) ON CONFLICT (message_id) DO NOTHING RETURNING id",
            "@m",
            "@g",
            "@r",
            "@t");
        using var insertText = Command(sqlite, tx, "INSERT INTO trait_text (event_id, \"key\", value) VALUES (@e, @k, @v)", "@e", "@k", "@v");
        using var insertInt = Command(sqlite, tx, "INSERT INTO trait_int (event_id, \"key\", value) VALUES (@e, @k, @v)", "@e", "@k", "@v");
        using var insertFloat = Command(sqlite, tx, "INSERT INTO trait_float (event_id, \"key\", value) VALUES (@e, @k, @v)", "@e", "@k", "@v");
        using var insertDate = Command(sqlite, tx, "INSERT INTO trait_datetime (event_id, \"key\", value) VALUES (@e, @k, @v)", "@e", "@k", "@v");
        var inserted = new bool[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var e = events[i];
            var p = insertEvent.Parameters;
            p[0].Value = e.MessageId;
            p[1].Value = e.GeneratedMicros;
            p[2].Value = e.Raw;
            p[3].Value = typeIds[e.EventType];
            if (insertEvent.ExecuteScalar() is not long id)
            {
                continue;
            }

            inserted[i] = true;
            foreach (var (key, value) in e.Texts)
            {
                Run(insertText, id, key, (object?)value ?? DBNull.Value);
            }

            foreach (var (key, value) in e.Integers)
            {
                Run(insertInt, id, key, value);
            }

            foreach (var (key, value) in e.Floats)
            {
                Run(insertFloat, id, key, value);
            }

            foreach (var (key, value) in e.DateTimes)
            {
                Run(insertDate, id, key, value);
            }
        }

        return Task.FromResult(inserted);
    }

    protected override bool IsConnectionFailure(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 14 /* CANTOPEN */ or 26 /* NOTADB */ or 10 /* IOERR */ or 13 /* FULL */ };

    protected override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 /* CONSTRAINT_UNIQUE */ or 1555 /* CONSTRAINT_PRIMARYKEY */ };

    private static IEnumerable<string> TraitDdl(string table, string type) =>
    [
        $"""
        CREATE TABLE {table} (
            event_id INTEGER NOT NULL REFERENCES event (id),
            "key" VARCHAR(255) NOT NULL,
            value {type},
            PRIMARY KEY (event_id, "key")) WITHOUT ROWID
        """,
        $"CREATE INDEX ix_{table}_key_value ON {table} (\"key\", value)",
    ];

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, long id, string key, object value)
    {
        var p = command.Parameters;
        p[0].Value = id;
        p[1].Value = key;
        p[2].Value = value;
        command.ExecuteNonQuery();
    }
}
