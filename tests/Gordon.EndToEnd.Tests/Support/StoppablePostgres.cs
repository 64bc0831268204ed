using System.Diagnostics;
using System.Globalization;
using Gordon.Plugins.Storage.Tests.Support;
using Npgsql;

namespace Gordon.EndToEnd.Tests.Support;

/// <summary>
/// A PostgreSQL 15 that a test can stop and start again on the same port and data directory (the storage tests'
/// <see cref="PostgresServer"/> runs <c>postgres</c> as a child and cannot): initdb, then <c>pg_ctl start</c> and
/// <c>pg_ctl stop -m fast</c>. As root it runs as the <c>postgres</c> user. A detached watchdog stops it and removes
/// its directory if the test host dies first.
/// </summary>
internal sealed class StoppablePostgres : IDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin/";
    private readonly string _directory;
    private readonly Process _watchdog;

    private StoppablePostgres(string directory, int port, Process watchdog)
    {
        _directory = directory;
        Port = port;
        _watchdog = watchdog;
    }

    public int Port { get; }

    private string Data => Path.Combine(_directory, "data");

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = false, Timeout = 3 }.ConnectionString;

    public static StoppablePostgres Start()
    {
        ServerProcess.RequireBinary(Bin + "pg_ctl", "postgresql-15");
        var directory = PostgresServer.CreateCluster("gordon-pgctl-");
        var data = Path.Combine(directory, "data");
        var stop = string.Join(' ', AsPostgresLine(Bin + "pg_ctl", ["-D", data, "-m", "immediate", "stop"]));
        var script = string.Create(
            CultureInfo.InvariantCulture,
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf '{directory}'");
        var watchdog = Process.Start(new ProcessStartInfo("setsid") { ArgumentList = { "sh", "-c", script }, UseShellExecute = false })!;
        var server = new StoppablePostgres(directory, FreePort.Next(), watchdog);
        server.StartAgain();
        return server;
    }

    /// <summary>Starts the server (again) on its port and data directory and waits until it accepts connections.</summary>
    public void StartAgain()
    {
        var options = string.Create(
            CultureInfo.InvariantCulture,
            $"-k {_directory} -h 127.0.0.1 -p {Port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
        var (file, args) = AsPostgres(Bin + "pg_ctl", ["-D", Data, "-l", Path.Combine(_directory, "log"), "-o", options, "-w", "-t", "60", "start"]);
        ServerProcess.Run(file, args, TimeSpan.FromSeconds(90));
    }

    /// <summary><c>pg_ctl stop -m fast</c>: open connections are closed, new ones refused until <see cref="StartAgain"/>.</summary>
    public void StopFast()
    {
        var (file, args) = AsPostgres(Bin + "pg_ctl", ["-D", Data, "-m", "fast", "-w", "-t", "60", "stop"]);
        ServerProcess.Run(file, args, TimeSpan.FromSeconds(90));
    }

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "g" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    public void Dispose()
    {
        try
        {
            var (file, args) = AsPostgres(Bin + "pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"]);
            using var stop = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
            stop.WaitForExit(30_000);
        }
        finally
        {
            if (!_watchdog.HasExited)
            {
                _watchdog.Kill(entireProcessTree: true);
            }

            _watchdog.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static (string File, string[] Arguments) AsPostgres(string file, string[] arguments) => PostgresServer.AsPostgres(file, arguments);

    private static IEnumerable<string> AsPostgresLine(string file, string[] arguments)
    {
        var (f, args) = AsPostgres(file, arguments);
        return [f, .. args.Select(a => "'" + a + "'")];
    }
}
