using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using Npgsql;

namespace Gordon.Plugins.Storage.Stores;

/// <summary>
/// A parsed <c>[storage] url</c>, Panko style: <c>sqlite:///abs/path.db</c>, <c>sqlite://rel/path.db</c> (relative to
/// the state directory; <c>sqlite://</c> alone is <c>events.db</c> there), <c>postgresql://user:pass@host:port/db</c>,
/// <c>mysql://user:pass@host:port/db</c> (MariaDB or MySQL) and <c>log://</c>. A <c>+driver</c> suffix on the scheme
/// (<c>mysql+pymysql</c>) is ignored, as in Panko.
/// </summary>
internal sealed record StorageUrl(StorageBackend Backend, string Target, string Description)
{
    public const string Supported = "sqlite, postgresql (or postgres), mysql (or mariadb), log";

    /// <summary>Parses a URL.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="stateDirectory">Where relative SQLite paths resolve.</param>
    /// <param name="password">The <c>[storage] password</c>, used when the URL carries none.</param>
    /// <param name="result">The parsed URL: a file path for SQLite, a connection string for the servers.</param>
    /// <param name="error">What is wrong, when parsing fails.</param>
    public static bool TryParse(string url, string stateDirectory, string? password, out StorageUrl result, out string error)
    {
        ArgumentNullException.ThrowIfNull(url);
        result = null!;
        var separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            error = $"expected a URL such as \"sqlite:///var/lib/gordon/events.db\" or \"postgresql://user@host/db\", got \"{url}\"";
            return false;
        }

        var scheme = url[..separator].ToLowerInvariant();
        var plus = scheme.IndexOf('+', StringComparison.Ordinal);
        var driver = plus >= 0 ? scheme[..plus] : scheme;
        var rest = url[(separator + 3)..];
        switch (driver)
        {
            case "sqlite":
                return TrySqlite(rest, stateDirectory, out result, out error);
            case "postgresql" or "postgres":
                return TryServer(StorageBackend.PostgreSql, rest, password, out result, out error);
            case "mysql" or "mariadb":
                return TryServer(StorageBackend.MariaDb, rest, password, out result, out error);
            case "log":
                result = new StorageUrl(StorageBackend.Log, string.Empty, "log://");
                error = string.Empty;
                return true;
            case "mongodb" or "es" or "elasticsearch" or "hbase":
                error = $"the storage backend '{driver}' is not supported (no server to test against); supported: {Supported}";
                return false;
            default:
                error = $"unknown storage URL scheme '{driver}'; supported: {Supported}";
                return false;
        }
    }

    private static bool TrySqlite(string rest, string stateDirectory, out StorageUrl result, out string error)
    {
        result = null!;
        if (rest.Contains('?', StringComparison.Ordinal))
        {
            error = "a sqlite URL takes no query parameters";
            return false;
        }

        var path = Uri.UnescapeDataString(rest);
        if (path.Length == 0)
        {
            path = "events.db";
        }

        path = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(stateDirectory, path));
        result = new StorageUrl(StorageBackend.Sqlite, path, "sqlite://" + path);
        error = string.Empty;
        return true;
    }

    private static bool TryServer(StorageBackend backend, string rest, string? password, out StorageUrl result, out string error)
    {
        result = null!;
        string? query = null;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? Uri.UnescapeDataString(rest[(slash + 1)..]) : string.Empty;
        string? user = null;
        string? urlPassword = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon >= 0 ? userInfo[..colon] : userInfo);
            urlPassword = colon >= 0 ? Uri.UnescapeDataString(userInfo[(colon + 1)..]) : null;
        }

        string host = authority;
        int? port = null;
        var portSeparator = authority.LastIndexOf(':');
        if (portSeparator >= 0 && !authority.EndsWith(']'))
        {
            host = authority[..portSeparator];
            if (!int.TryParse(authority[(portSeparator + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is 0 or > 65535)
            {
                error = $"the port '{authority[(portSeparator + 1)..]}' is not a number from 1 to 65535";
                return false;
            }

            port = p;
        }

        host = host.Trim('[', ']');
        DbConnectionStringBuilder builder = backend == StorageBackend.PostgreSql ? new NpgsqlConnectionStringBuilder() : new MySqlConnectionStringBuilder();
        if (host.Length > 0)
        {
            builder["Host"] = host;
        }

        if (port is { } explicitPort)
        {
            builder["Port"] = explicitPort;
        }

        if (user is { Length: > 0 })
        {
            builder["Username"] = user;
        }

        if ((urlPassword ?? password) is { Length: > 0 } secret)
        {
            builder["Password"] = secret;
        }

        if (database.Length > 0)
        {
            builder["Database"] = database;
        }

        foreach (var pair in (query ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq >= 0 ? pair[..eq] : pair);
            var value = eq >= 0 ? Uri.UnescapeDataString(pair[(eq + 1)..]) : string.Empty;
            if (key.Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                // Panko's MySQL URLs carry ?charset=utf8; the store always talks utf8mb4.
                continue;
            }

            try
            {
                builder[key] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                error = $"query parameter '{key}' is not a connection setting the {(backend == StorageBackend.PostgreSql ? "PostgreSQL" : "MariaDB")} driver knows: {e.Message}";
                return false;
            }
        }

        if (backend == StorageBackend.MariaDb && builder is MySqlConnectionStringBuilder my)
        {
            my.CharacterSet = "utf8mb4";
        }

        var scheme = backend == StorageBackend.PostgreSql ? "postgresql" : "mysql";
        var shownUser = user is { Length: > 0 } ? user + "@" : string.Empty;
        var shownPort = port is { } sp ? ":" + sp.ToString(CultureInfo.InvariantCulture) : string.Empty;
        result = new StorageUrl(backend, builder.ConnectionString, $"{scheme}://{shownUser}{host}{shownPort}/{database}");
        error = string.Empty;
        return true;
    }
}
