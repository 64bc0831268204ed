using System.Globalization;
using MySqlConnector;

namespace Gordon.Plugins.Storage.Tests.Support;

/// <summary>A MariaDB server for this test run: mariadb-install-db in a temporary directory, 127.0.0.1 on a free port.</summary>
internal sealed class MariaDbServer : IDisposable
{
    private readonly ServerProcess _process;

    private MariaDbServer(ServerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string? database) =>
        new MySqlConnectionStringBuilder
        {
            Server = "127.0.0.1",
            Port = (uint)Port,
            UserID = "root",
            Database = database ?? string.Empty,
            CharacterSet = "utf8mb4",
        }.ConnectionString;

    public static async Task<MariaDbServer> StartAsync()
    {
        var install = ServerProcess.RequireBinary("/usr/bin/mariadb-install-db", "mariadb-server");
        var mariadbd = ServerProcess.RequireBinary("/usr/sbin/mariadbd", "mariadb-server");
        var directory = Path.Combine(Path.GetTempPath(), "gordon-maria-" + Guid.NewGuid().ToString("N")[..12]);
        var data = Path.Combine(directory, "data");
        Directory.CreateDirectory(data);
        var user = Environment.UserName;
        ServerProcess.Run(
            install,
            ["--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db", "--user=" + user],
            TimeSpan.FromMinutes(2));
        var port = FreePort.Next();
        var process = ServerProcess.Start(
            mariadbd,
            [
                "--no-defaults", "--datadir=" + data, "--socket=" + Path.Combine(directory, "mysqld.sock"),
                "--pid-file=" + Path.Combine(directory, "mysqld.pid"), "--port=" + port.ToString(CultureInfo.InvariantCulture),
                "--bind-address=127.0.0.1", "--user=" + user, "--skip-grant-tables", "--skip-name-resolve", "--skip-log-bin",
                "--innodb-buffer-pool-size=128M", "--innodb-flush-log-at-trx-commit=2", "--max-connections=300",
            ],
            directory);
        var server = new MariaDbServer(process, port);
        await process.WaitUntilReadyAsync(server.CanConnectAsync, TimeSpan.FromSeconds(60), "mariadbd");
        return server;
    }

    public async Task<string> CreateDatabaseAsync()
    {
        var name = "g" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new MySqlConnection(ConnectionString(null));
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public void Dispose() => _process.Dispose();

    private async Task<bool> CanConnectAsync()
    {
        try
        {
            await using var connection = new MySqlConnection(ConnectionString(null) + ";Connection Timeout=2");
            await connection.OpenAsync();
            return true;
        }
        catch (MySqlException)
        {
            return false;
        }
    }
}
