using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Gordon.EndToEnd.Tests.Support;

/// <summary>
/// Reads what the storage plugin wrote, straight from its database (SQLite file or PostgreSQL), so the tests check
/// the store itself rather than an API in front of it.
/// </summary>
internal static class StoreReader
{
    // "key" is a reserved word in both dialects; the schema is Panko's (docs/plugins/storage.md).
    private const string Query = """
        SELECT e.message_id, t.value FROM event e
        LEFT JOIN trait_text t ON t.event_id = e.id AND t."key" = 'group'
        """;

    /// <summary>Every stored event of an SQLite store; empty when the file or its tables do not exist yet.</summary>
    public static async Task<List<StoredEvent>> ReadSqliteAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        // No pooling: a pooled connection would keep the file open after the test removed its folder.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString;
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        try
        {
            return await ReadAsync(connection, cancellationToken);
        }
        catch (SqliteException e) when (e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return [];
        }
    }

    /// <summary>Every stored event of a PostgreSQL store; empty while its tables do not exist yet.</summary>
    public static async Task<List<StoredEvent>> ReadPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        try
        {
            return await ReadAsync(connection, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return [];
        }
    }

    private static async Task<List<StoredEvent>> ReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Query;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<StoredEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredEvent(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return rows;
    }
}
