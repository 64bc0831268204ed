using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Gordon.Plugins.Collectors.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL 15 server: initdb into a temporary folder, started with pg_ctl on a free port of
/// 127.0.0.1, trust authentication for user <c>gordon</c>, stopped and deleted on dispose. As root, the server
/// programs run as the <c>postgres</c> user (initdb refuses root). A missing server fails the test.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    private readonly string _directory;

    private PostgresServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"postgresql://gordon@127.0.0.1:{Port}/postgres";

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=gordon;Database=postgres;Pooling=false";

    public static async Task<PostgresServer> StartAsync()
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")) || !File.Exists(Path.Combine(Bin, "pg_ctl")))
        {
            Assert.Fail($"PostgreSQL is not installed: {Bin}/initdb and pg_ctl are missing (apt-get install postgresql-15)");
        }

        var directory = Directory.CreateTempSubdirectory("gordon-collectors-pg-").FullName;
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "-R", "postgres", directory);
        }

        var server = new PostgresServer(directory, FreePort());
        var data = Path.Combine(directory, "data");
        await server.RunServerToolAsync("initdb", "-D", data, "-U", "gordon", "--auth=trust", "-E", "UTF8", "--no-sync");
        await server.RunServerToolAsync(
            "pg_ctl", "-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {server.Port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        return server;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunServerToolAsync("pg_ctl", "-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private Task RunServerToolAsync(string tool, params string[] args) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(Bin, tool), .. args])
            : RunAsync(Path.Combine(Bin, tool), args);

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
            Assert.Fail($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await output} {await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
