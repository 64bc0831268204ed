using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gordon.Plugins.Storage.Stores.Sql;

/// <summary>
/// The five insert statements of one SQLite batch, prepared once and stepped once per row with positional parameters.
/// Talks to SQLite directly (the connection's handle, inside the caller's transaction): a driver command costs more
/// per row than SQLite's insert itself. A failing step throws <see cref="SqliteException"/>, as the driver would.
/// </summary>
internal sealed class SqliteBatchInsert : IDisposable
{
    /// <summary>The integer trait table's statement.</summary>
    public const int Int = 1;

    /// <summary>The datetime trait table's statement (microseconds since the epoch).</summary>
    public const int DateTime = 3;

    private const int Text = 0;
    private const int Float = 2;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _event;
    private readonly sqlite3_stmt[] _traits = new sqlite3_stmt[4];

    public SqliteBatchInsert(sqlite3 db)
    {
        _db = db;
        try
        {
            _event = Prepare(
                "INSERT INTO event (message_id, generated, raw, event_type_id) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (message_id) DO NOTHING");
            for (var i = 0; i < TraitTable.All.Length; i++)
            {
                _traits[i] = Prepare($"INSERT INTO {TraitTable.All[i].Table} (event_id, \"key\", value) VALUES (?1, ?2, ?3)");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Inserts the event unless its message id is stored; true (with the new row id) when inserted.</summary>
    public bool InsertEvent(string messageId, long generatedMicros, string rawJson, long typeId, out long id)
    {
        Check(raw.sqlite3_bind_text(_event, 1, messageId));
        Check(raw.sqlite3_bind_int64(_event, 2, generatedMicros));
        Check(raw.sqlite3_bind_text(_event, 3, rawJson));
        Check(raw.sqlite3_bind_int64(_event, 4, typeId));
        Step(_event);

        // ON CONFLICT DO NOTHING: a duplicate changes no row.
        if (raw.sqlite3_changes(_db) == 0)
        {
            id = 0;
            return false;
        }

        id = raw.sqlite3_last_insert_rowid(_db);
        return true;
    }

    public void InsertText(long eventId, string key, string? value)
    {
        var statement = Bind(Text, eventId, key);
        Check(value is null ? raw.sqlite3_bind_null(statement, 3) : raw.sqlite3_bind_text(statement, 3, value));
        Step(statement);
    }

    /// <summary>Inserts an integer trait (<paramref name="table"/> <see cref="Int"/>) or a datetime trait (<see cref="DateTime"/>).</summary>
    public void InsertInteger(int table, long eventId, string key, long value)
    {
        var statement = Bind(table, eventId, key);
        Check(raw.sqlite3_bind_int64(statement, 3, value));
        Step(statement);
    }

    public void InsertFloat(long eventId, string key, double value)
    {
        var statement = Bind(Float, eventId, key);
        Check(raw.sqlite3_bind_double(statement, 3, value));
        Step(statement);
    }

    public void Dispose()
    {
        _event?.Dispose();
        foreach (var statement in _traits)
        {
            statement?.Dispose();
        }
    }

    private sqlite3_stmt Bind(int table, long eventId, string key)
    {
        var statement = _traits[table];
        Check(raw.sqlite3_bind_int64(statement, 1, eventId));
        Check(raw.sqlite3_bind_text(statement, 2, key));
        return statement;
    }

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return statement;
    }

    private void Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);

        // Reset whatever happened, so the statement can run again (or be finalized) cleanly.
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
