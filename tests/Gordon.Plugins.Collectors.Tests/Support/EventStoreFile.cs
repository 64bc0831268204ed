using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Gordon.Plugins.Collectors.Tests.Support;

/// <summary>An SQLite event store with Panko's schema, as the storage plugin writes it (generated in microseconds).</summary>
internal sealed class EventStoreFile
{
    private long _nextId = 1;

    public EventStoreFile(string path)
    {
        Path = path;
        Execute("""
            CREATE TABLE event_type (id INTEGER PRIMARY KEY, "desc" TEXT NOT NULL UNIQUE);
            CREATE TABLE event (id INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, generated INTEGER NOT NULL, raw TEXT, event_type_id INTEGER NOT NULL REFERENCES event_type(id));
            CREATE TABLE trait_text (event_id INTEGER NOT NULL, "key" TEXT NOT NULL, value TEXT, PRIMARY KEY (event_id, "key"));
            CREATE TABLE trait_int (event_id INTEGER NOT NULL, "key" TEXT NOT NULL, value INTEGER, PRIMARY KEY (event_id, "key"));
            CREATE TABLE trait_float (event_id INTEGER NOT NULL, "key" TEXT NOT NULL, value REAL, PRIMARY KEY (event_id, "key"));
            CREATE TABLE trait_datetime (event_id INTEGER NOT NULL, "key" TEXT NOT NULL, value INTEGER, PRIMARY KEY (event_id, "key"));
            """);
    }

    public string Path { get; }

    public string Url => "sqlite:///" + Path;

    public long Add(string type, DateTimeOffset generated, IReadOnlyDictionary<string, object>? traits = null)
    {
        var id = _nextId++;
        var micros = (generated.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        Execute($"""INSERT OR IGNORE INTO event_type ("desc") VALUES ('{type}');""");
        Execute(FormattableString.Invariant($"""INSERT INTO event (id, message_id, generated, raw, event_type_id) SELECT {id}, 'm{id}', {micros}, 'null', id FROM event_type WHERE "desc" = '{type}';"""));
        foreach (var (key, value) in traits ?? new Dictionary<string, object>())
        {
            var (table, literal) = value switch
            {
                string s => ("trait_text", "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'"),
                long or int => ("trait_int", Convert.ToString(value, CultureInfo.InvariantCulture)!),
                _ => ("trait_float", Convert.ToString(value, CultureInfo.InvariantCulture)!),
            };
            Execute(FormattableString.Invariant($"""INSERT INTO {table} (event_id, "key", value) VALUES ({id}, '{key}', {literal});"""));
        }

        return id;
    }

    public void Execute(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
