using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace Gordon.Plugins.Collectors.Stores;

/// <summary>
/// A database named by an SQLAlchemy-style URL, as the storage plugin takes it: <c>sqlite:///relative.db</c>,
/// <c>sqlite:////absolute/path.db</c>, <c>postgresql://user:password@host:5432/db?sslmode=require</c>,
/// <c>mysql://user:password@host:3306/db</c>. Connections are opened read-only where the engine can enforce it.
/// </summary>
internal sealed class DatabaseUrl
{
    private DatabaseUrl(DatabaseKind kind, string connectionString, string display, string? filePath)
    {
        Kind = kind;
        ConnectionString = connectionString;
        Display = display;
        FilePath = filePath;
    }

    public DatabaseKind Kind { get; }

    /// <summary>The driver's connection string (holds the password: never log it).</summary>
    public string ConnectionString { get; }

    /// <summary>The URL with its password replaced by <c>***</c>, for messages.</summary>
    public string Display { get; }

    /// <summary>The SQLite file, for SQLite URLs.</summary>
    public string? FilePath { get; }

    /// <summary>Parses a URL; relative SQLite paths resolve against <paramref name="baseDirectory"/>.</summary>
    /// <returns>The URL, or null with <paramref name="error"/> saying what is wrong.</returns>
    public static DatabaseUrl? Parse(string url, string baseDirectory, out string? error)
    {
        ArgumentNullException.ThrowIfNull(url);
        error = null;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            error = "expected a database URL like sqlite:////path/events.db or postgresql://user@host/db";
            return null;
        }

        // "postgresql+psycopg2://" names a Python driver; the engine is what counts here.
        var scheme = url[..schemeEnd].Split('+')[0].ToLowerInvariant();
        try
        {
            return scheme switch
            {
                "sqlite" => ParseSqlite(url[(schemeEnd + 3)..], baseDirectory, out error),
                "postgresql" or "postgres" => ParseServer(DatabaseKind.PostgreSql, url, out error),
                "mysql" or "mariadb" => ParseServer(DatabaseKind.MySql, url, out error),
                _ => Fail($"unsupported database scheme '{scheme}': use sqlite, postgresql or mysql", out error),
            };
        }
        catch (ArgumentException e)
        {
            // A driver refusing a query parameter (an unknown connection keyword) says which one.
            return Fail("invalid database URL: " + e.Message, out error);
        }
    }

    /// <summary>
    /// The URL with a relative SQLite path made absolute against <paramref name="baseDirectory"/>, so it means the same
    /// file wherever it is read; other URLs are returned as they are.
    /// </summary>
    public static string Absolute(string url, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Parse(url, baseDirectory, out _) is { Kind: DatabaseKind.Sqlite, FilePath: { } path } ? "sqlite:///" + path : url;
    }

    /// <summary>Opens a connection; SQLite files are opened read-only and must exist.</summary>
    public async Task<DbConnection> OpenReadOnlyAsync(CancellationToken cancellationToken)
    {
        if (Kind == DatabaseKind.Sqlite && !File.Exists(FilePath))
        {
            throw new FileNotFoundException($"the database file {FilePath} does not exist", FilePath);
        }

        DbConnection connection = Kind switch
        {
            DatabaseKind.Sqlite => new SqliteConnection(ConnectionString),
            DatabaseKind.PostgreSql => new NpgsqlConnection(ConnectionString),
            _ => new MySqlConnection(ConnectionString),
        };
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

    /// <summary>Quotes an identifier (Panko's columns include the reserved words <c>desc</c> and <c>key</c>).</summary>
    public string Quote(string identifier) => Kind == DatabaseKind.MySql ? "`" + identifier + "`" : "\"" + identifier + "\"";

    public override string ToString() => Display;

    private static DatabaseUrl? ParseSqlite(string rest, string baseDirectory, out string? error)
    {
        error = null;
        // sqlite:///x.db is relative (rest "/x.db"), sqlite:////abs/x.db absolute (rest "//abs/x.db").
        if (!rest.StartsWith('/') || rest.Length < 2)
        {
            return Fail("expected sqlite:///relative/path.db or sqlite:////absolute/path.db", out error);
        }

        var query = rest.IndexOf('?', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(query >= 0 ? rest[1..query] : rest[1..]);
        if (path.Length == 0 || path == ":memory:")
        {
            return Fail("an SQLite URL must name a database file", out error);
        }

        var full = Path.GetFullPath(path, baseDirectory);
        var builder = new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        return new DatabaseUrl(DatabaseKind.Sqlite, builder.ConnectionString, "sqlite:///" + full, full);
    }

    private static DatabaseUrl? ParseServer(DatabaseKind kind, string url, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return Fail("is not a valid URL", out error);
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon >= 0 ? uri.UserInfo[..colon] : uri.UserInfo);
            password = colon >= 0 ? Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]) : null;
        }

        var parameters = ParseQuery(uri.Query);
        DbConnectionStringBuilder builder;
        if (kind == DatabaseKind.PostgreSql)
        {
            var pg = new NpgsqlConnectionStringBuilder();
            if (uri.Host.Length > 0)
            {
                pg.Host = uri.Host;
            }

            if (!uri.IsDefaultPort && uri.Port > 0)
            {
                pg.Port = uri.Port;
            }

            pg.Username = user;
            pg.Password = password;
            if (database.Length > 0)
            {
                pg.Database = database;
            }

            builder = pg;
        }
        else
        {
            var my = new MySqlConnectionStringBuilder();
            if (uri.Host.Length > 0)
            {
                my.Server = uri.Host;
            }

            if (!uri.IsDefaultPort && uri.Port > 0)
            {
                my.Port = (uint)uri.Port;
            }

            my.UserID = user ?? string.Empty;
            my.Password = password ?? string.Empty;
            my.Database = database;
            builder = my;
        }

        foreach (var (key, value) in parameters)
        {
            builder[key] = value;
        }

        var display = password is null
            ? url
            : url.Replace(uri.UserInfo + "@", uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)] + ":***@", StringComparison.Ordinal);
        return new DatabaseUrl(kind, builder.ConnectionString, display, null);
    }

    private static List<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals >= 0 ? part[..equals] : part);
            var value = equals >= 0 ? Uri.UnescapeDataString(part[(equals + 1)..]) : string.Empty;
            pairs.Add(new(key, value));
        }

        return pairs;
    }

    private static DatabaseUrl? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }
}
