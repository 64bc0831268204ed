using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>
/// A real RabbitMQ node (the Debian <c>rabbitmq-server</c> package) run as a child process for tests: its own node
/// name, its own epmd, AMQP and distribution ports on 127.0.0.1 only, data, logs and Erlang cookie in a temp dir,
/// no plugins. <see cref="StartAsync(CancellationToken)"/> returns once the broker answers the AMQP handshake; <see cref="DisposeAsync"/>
/// stops it (<c>rabbitmqctl stop</c>, then kills what is left) and deletes the dir. A missing binary throws, so
/// tests that need a broker fail rather than pass vacuously.
/// Self-contained (no test framework, no client library): another test project can link this file with
/// <c>&lt;Compile Include="..\Gordon.Plugins.RabbitMQ.Tests\Support\RabbitMqBroker.cs" Link="Support\RabbitMqBroker.cs" /&gt;</c>.
/// </summary>
public sealed class RabbitMqBroker : IAsyncDisposable
{
    /// <summary>The user every test connects as; <c>loopback_users = none</c> lets it in over 127.0.0.1 only anyway.</summary>
    public const string User = "guest";

    /// <summary>The password of <see cref="User"/>.</summary>
    public const string Password = "guest";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan CtlTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;
    private readonly Process _server;
    private readonly Process _epmd;
    private readonly ConcurrentQueue<string> _output;
    private readonly string _binDirectory;
    private int _disposed;

    private RabbitMqBroker(
        string directory,
        string binDirectory,
        string nodeName,
        int amqpPort,
        Dictionary<string, string> environment,
        Process server,
        Process epmd,
        ConcurrentQueue<string> output)
    {
        _directory = directory;
        _binDirectory = binDirectory;
        NodeName = nodeName;
        AmqpPort = amqpPort;
        _environment = environment;
        _server = server;
        _epmd = epmd;
        _output = output;
    }

    /// <summary>The Erlang node name, e.g. <c>gordon-test-1a2b3c@localhost</c>.</summary>
    public string NodeName { get; }

    /// <summary>The AMQP port on 127.0.0.1.</summary>
    public int AmqpPort { get; }

    /// <summary>The last lines the server printed, for failure messages.</summary>
    public string OutputTail => string.Join(Environment.NewLine, _output.TakeLast(40));

    /// <summary>Starts a node and waits until it accepts AMQP connections.</summary>
    /// <param name="cancellationToken">Abandons the start (the node is stopped).</param>
    /// <returns>The running broker.</returns>
    /// <exception cref="InvalidOperationException">The binaries are missing, or the node did not come up.</exception>
    public static Task<RabbitMqBroker> StartAsync(CancellationToken cancellationToken = default) => StartAsync(binDirectory: null, cancellationToken);

    /// <summary>Starts a node from the RabbitMQ scripts in <paramref name="binDirectory"/>.</summary>
    /// <param name="binDirectory">Where <c>rabbitmq-server</c> and <c>rabbitmqctl</c> are; null for $RABBITMQ_BIN_DIR or /usr/lib/rabbitmq/bin.</param>
    /// <param name="cancellationToken">Abandons the start (the node is stopped).</param>
    /// <returns>The running broker.</returns>
    /// <exception cref="InvalidOperationException">The binaries are missing, or the node did not come up.</exception>
    public static async Task<RabbitMqBroker> StartAsync(string? binDirectory, CancellationToken cancellationToken = default)
    {
        binDirectory = FindBinDirectory(binDirectory);
        var epmdPath = FindOnPath("epmd")
            ?? throw new InvalidOperationException("epmd (Erlang) not found on PATH: install the Debian package rabbitmq-server, which depends on it");
        var directory = Path.Combine(Path.GetTempPath(), "gordon-rabbitmq-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var amqpPort = FreePort();
        var distPort = FreePort();
        var epmdPort = FreePort();
        var nodeName = $"gordon-test-{Guid.NewGuid().ToString("N")[..10]}@localhost";
        await File.WriteAllTextAsync(
            Path.Combine(directory, "rabbitmq.conf"),
            string.Create(CultureInfo.InvariantCulture, $"""
                listeners.tcp.default = 127.0.0.1:{amqpPort}
                loopback_users = none
                log.console = true
                log.console.level = warning
                log.file = false
                """),
            cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[].", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq-env.conf"), string.Empty, cancellationToken).ConfigureAwait(false);

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = directory,
            ["RABBITMQ_NODENAME"] = nodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbitmq.pid"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq.conf"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf"),
            // The node's own epmd on a free loopback port: a shared one on 4369 may belong to (and die with) another test run.
            ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            // Distribution listens on loopback only.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["RABBITMQ_CTL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        };

        var output = new ConcurrentQueue<string>();
        var epmd = Launch(epmdPath, ["-port", environment["ERL_EPMD_PORT"], "-address", "127.0.0.1"], environment, directory, output);
        Process? server = null;
        try
        {
            // The node must find this epmd listening, or it starts a daemonised one of its own that outlives the test.
            await WaitForPortAsync(epmdPort, epmd, cancellationToken).ConfigureAwait(false);
            server = Launch(Path.Combine(binDirectory, "rabbitmq-server"), [], environment, directory, output);
            var broker = new RabbitMqBroker(directory, binDirectory, nodeName, amqpPort, environment, server, epmd, output);
            try
            {
                await broker.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
                return broker;
            }
            catch
            {
                await broker.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch when (server is null)
        {
            Kill(epmd);
            TryDelete(directory);
            throw;
        }
    }

    /// <summary>An AMQP URL for this broker, as <see cref="User"/>.</summary>
    /// <param name="virtualHost">The virtual host; <c>/</c> by default.</param>
    /// <returns>e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>.</returns>
    public string Url(string virtualHost = "/") =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"amqp://{User}:{Password}@127.0.0.1:{AmqpPort}/{(virtualHost == "/" ? string.Empty : Uri.EscapeDataString(virtualHost))}");

    /// <summary>Creates a virtual host and gives <see cref="User"/> every permission on it, isolating one test's queues and connections.</summary>
    /// <param name="name">The name; a fresh unique one when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The name.</returns>
    public async Task<string> CreateVirtualHostAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        name ??= "vh-" + Guid.NewGuid().ToString("N")[..10];
        await CtlAsync(["add_vhost", name], cancellationToken).ConfigureAwait(false);
        await CtlAsync(["set_permissions", "-p", name, User, ".*", ".*", ".*"], cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>Closes every client connection of a virtual host, as an operator or a network fault would.</summary>
    /// <param name="virtualHost">The virtual host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What rabbitmqctl printed.</returns>
    public Task<string> CloseAllConnectionsAsync(string virtualHost, CancellationToken cancellationToken = default) =>
        CtlAsync(["close_all_connections", "-p", virtualHost, "closed by the test"], cancellationToken);

    /// <summary>Stops the RabbitMQ application (the Erlang node stays up): every connection drops and none is accepted.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the application has stopped.</returns>
    public Task StopAppAsync(CancellationToken cancellationToken = default) => CtlAsync(["stop_app"], cancellationToken);

    /// <summary>Starts the RabbitMQ application again after <see cref="StopAppAsync"/>; durable queues and their messages come back.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the broker accepts connections again.</returns>
    public async Task StartAppAsync(CancellationToken cancellationToken = default)
    {
        await CtlAsync(["start_app"], cancellationToken).ConfigureAwait(false);
        await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets the memory high watermark: 0 raises the memory alarm at once, so the broker blocks every publishing
    /// connection (nothing is confirmed) until it is set back (0.4 is the default).
    /// </summary>
    /// <param name="fraction">The fraction of memory.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the watermark is set.</returns>
    public Task SetMemoryHighWatermarkAsync(double fraction, CancellationToken cancellationToken = default) =>
        CtlAsync(["set_vm_memory_high_watermark", fraction.ToString(CultureInfo.InvariantCulture)], cancellationToken);

    /// <summary>Runs <c>rabbitmqctl -n node …</c> with this node's environment.</summary>
    /// <param name="arguments">The command and its arguments.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What it printed.</returns>
    /// <exception cref="InvalidOperationException">It failed; the message holds its output.</exception>
    public async Task<string> CtlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var output = new ConcurrentQueue<string>();
        using var process = Launch(Path.Combine(_binDirectory, "rabbitmqctl"), ["-n", NodeName, .. arguments], _environment, _directory, output);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CtlTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }

        // WaitForExitAsync returns after the output is read to its end.
        var text = string.Join(Environment.NewLine, output);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} exited with {process.ExitCode}: {text}");
        }

        return text;
    }

    /// <summary>Stops the node, kills whatever is left, and deletes its directory. Safe to call twice.</summary>
    /// <returns>A task that completes when everything is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_server.HasExited)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await CtlAsync(["stop"], timeout.Token).ConfigureAwait(false);
                await _server.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
            {
                // A node that does not stop politely is killed below.
            }
        }

        Kill(_server);
        Kill(_epmd);
        _server.Dispose();
        _epmd.Dispose();
        TryDelete(_directory);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (true)
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited with {_server.ExitCode} while starting:{Environment.NewLine}{OutputTail}");
            }

            if (await AnswersAmqpAsync(deadline.Token).ConfigureAwait(false))
            {
                return;
            }

            try
            {
                // Polls a child process that cannot tell us when it is ready; the pause only spaces the attempts.
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException(
                    $"rabbitmq-server did not accept AMQP connections on 127.0.0.1:{AmqpPort} within {StartTimeout.TotalSeconds:F0}s:{Environment.NewLine}{OutputTail}");
            }
        }
    }

    // Ready means the broker answers the AMQP 0-9-1 protocol header with a frame (connection.start), not merely
    // that the port is open.
    private async Task<bool> AnswersAmqpAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient(AddressFamily.InterNetwork);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(5));
            await client.ConnectAsync(IPAddress.Loopback, AmqpPort, attempt.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), attempt.Token).ConfigureAwait(false);
            var frame = new byte[1];
            var read = await stream.ReadAsync(frame, attempt.Token).ConfigureAwait(false);
            return read == 1 && frame[0] == 1;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task WaitForPortAsync(int port, Process owner, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient(AddressFamily.InterNetwork);
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (!owner.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                // Polls a child process that cannot tell us when it listens; the pause only spaces the attempts.
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static Process Launch(string path, IReadOnlyList<string> arguments, Dictionary<string, string> environment, string directory, ConcurrentQueue<string> output)
    {
        var start = new ProcessStartInfo(path)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {path}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 500 && output.TryDequeue(out _))
        {
        }
    }

    private static string FindBinDirectory(string? wanted)
    {
        // The package's own scripts: /usr/sbin/rabbitmq-server switches to the rabbitmq user through su when run as
        // root, which loses this environment (node name, ports, directories).
        string?[] candidates = wanted is not null ? [wanted] : [Environment.GetEnvironmentVariable("RABBITMQ_BIN_DIR"), "/usr/lib/rabbitmq/bin"];
        foreach (var candidate in candidates)
        {
            if (candidate is { Length: > 0 } && File.Exists(Path.Combine(candidate, "rabbitmq-server")) && File.Exists(Path.Combine(candidate, "rabbitmqctl")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"rabbitmq-server not found in {wanted ?? "/usr/lib/rabbitmq/bin (or $RABBITMQ_BIN_DIR)"}: install the Debian package rabbitmq-server; these tests need a real broker");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temp dir left behind is harmless.
        }
    }
}
