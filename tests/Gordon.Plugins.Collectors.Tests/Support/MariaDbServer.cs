using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MySqlConnector;

namespace Gordon.Plugins.Collectors.Tests.Support;

/// <summary>
/// A throw-away MariaDB server: mariadb-install-db into a temporary folder, mariadbd on a free port of 127.0.0.1
/// without grant tables (any user, no password), stopped and deleted on dispose. A missing server fails the test.
/// </summary>
internal sealed class MariaDbServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Process _process;

    private MariaDbServer(string directory, int port, Process process)
    {
        _directory = directory;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    public string Url => $"mysql://gordon@127.0.0.1:{Port}/gordon";

    public string ConnectionString => $"Server=127.0.0.1;Port={Port};User ID=gordon;Database=gordon;Pooling=false";

    public static async Task<MariaDbServer> StartAsync()
    {
        const string Server = "/usr/sbin/mariadbd";
        if (!File.Exists(Server) || !File.Exists("/usr/bin/mariadb-install-db"))
        {
            Assert.Fail("MariaDB is not installed: /usr/sbin/mariadbd and mariadb-install-db are missing (apt-get install mariadb-server)");
        }

        var directory = Directory.CreateTempSubdirectory("gordon-collectors-mariadb-").FullName;
        var data = Path.Combine(directory, "data");
        var user = Environment.UserName;
        await RunAsync("/usr/bin/mariadb-install-db", "--no-defaults", "--user=" + user, "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db");
        var port = FreePort();
        var start = new ProcessStartInfo(Server) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "--no-defaults", "--user=" + user, "--datadir=" + data, "--port=" + port, "--bind-address=127.0.0.1",
            "--socket=" + Path.Combine(directory, "sock"), "--skip-grant-tables", "--skip-log-bin", "--innodb-buffer-pool-size=16M",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new MariaDbServer(directory, port, process);
        // Ready when it accepts a connection; the server needs a few seconds to start.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new MySqlConnection($"Server=127.0.0.1;Port={port};User ID=gordon;Pooling=false");
                await connection.OpenAsync();
                await using var command = new MySqlCommand("CREATE DATABASE gordon", connection);
                await command.ExecuteNonQueryAsync();
                return server;
            }
            catch (MySqlException) when (clock.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString + ";AllowUserVariables=true");
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            Assert.Fail($"{program} exited with {process.ExitCode}: {await output} {await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
