using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Gordon.Benchmarks.Storage;

/// <summary>A throw-away PostgreSQL 15 for the ingest benchmark (as the storage tests start one): temp dir, 127.0.0.1, free port.</summary>
internal sealed class BenchmarkPostgres : IDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin/";
    private readonly Process _process;
    private readonly string _directory;

    private BenchmarkPostgres(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, MaxPoolSize = 20 }.ConnectionString;

    public static BenchmarkPostgres Start()
    {
        var directory = Path.Combine(Path.GetTempPath(), "gordon-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var root = Environment.UserName == "root";
        if (root)
        {
            Run("chown", "postgres:postgres", directory);
        }

        var data = Path.Combine(directory, "data");
        Run(root ? "setpriv" : Bin + "initdb", [.. Prefix(root), .. Wrap(root, Bin + "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        // Durable settings (fsync on): the benchmark measures real commits, as the SQLite run does.
        var info = new ProcessStartInfo(root ? "setpriv" : Bin + "postgres") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])[.. Prefix(root), .. Wrap(root, Bin + "postgres"), "-D", data, "-k", directory, "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new BenchmarkPostgres(process, directory, port);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
                connection.Open();
                return server;
            }
            catch (NpgsqlException) when (clock.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
    }

    public string CreateDatabase()
    {
        var name = "b" + Guid.NewGuid().ToString("N")[..12];
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0", connection);
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string[] Prefix(bool root) => root ? ["--reuid=postgres", "--regid=postgres", "--init-groups", "--"] : [];

    private static string[] Wrap(bool root, string file) => root ? [file] : [];

    private static void Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {error.Result}");
        }
    }
}
