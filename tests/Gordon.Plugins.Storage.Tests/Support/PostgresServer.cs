using System.Globalization;
using Npgsql;

namespace Gordon.Plugins.Storage.Tests.Support;

/// <summary>
/// A PostgreSQL 15 server for this test run: initdb in a temporary directory, trust authentication, listening on
/// 127.0.0.1 on a free port. PostgreSQL refuses to run as root, so as root it runs as the <c>postgres</c> user.
/// </summary>
internal sealed class PostgresServer : IDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin/";
    private readonly ServerProcess _process;

    private PostgresServer(ServerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true }.ConnectionString;

    public static async Task<PostgresServer> StartAsync()
    {
        ServerProcess.RequireBinary(Bin + "postgres", "postgresql-15");
        var directory = CreateCluster("gordon-pg-");
        var data = Path.Combine(directory, "data");
        var port = FreePort.Next();
        var (postgres, args) = AsPostgres(Bin + "postgres",
        [
            "-D", data, "-k", directory, "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture),
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300",
        ]);
        var process = ServerProcess.Start(postgres, args, directory);
        var server = new PostgresServer(process, port);
        await process.WaitUntilReadyAsync(server.CanConnectAsync, TimeSpan.FromSeconds(60), "postgres");
        return server;
    }

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "g" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public void Dispose() => _process.Dispose();

    /// <summary>
    /// A new temporary directory (owned by <c>postgres</c> when running as root) with an initdb'd cluster in its
    /// <c>data</c> folder: trust authentication, UTF-8, C locale.
    /// </summary>
    /// <param name="prefix">The directory name's prefix.</param>
    /// <returns>The directory.</returns>
    internal static string CreateCluster(string prefix)
    {
        ServerProcess.RequireBinary(Bin + "initdb", "postgresql-15");
        var directory = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        if (ServerProcess.IsRoot)
        {
            ServerProcess.Run("chown", ["postgres:postgres", directory], TimeSpan.FromSeconds(10));
        }

        var (initdb, initArgs) = AsPostgres(Bin + "initdb", ["-D", Path.Combine(directory, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        ServerProcess.Run(initdb, initArgs, TimeSpan.FromMinutes(2));
        return directory;
    }

    /// <summary>PostgreSQL refuses to run as root: as root, a command runs as the <c>postgres</c> user.</summary>
    internal static (string File, string[] Arguments) AsPostgres(string file, string[] arguments) =>
        ServerProcess.IsRoot ? ("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", file, .. arguments]) : (file, arguments);

    private async Task<bool> CanConnectAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Timeout=2");
            await connection.OpenAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
