using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Gordon.Plugins.Storage.Tests.Support;

/// <summary>
/// A database server run as a child process in a temporary directory. A detached watchdog kills it and removes the
/// directory if the test host dies without stopping it (an aborted test run), so no server outlives its tests.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Process _watchdog;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Process watchdog, string directory)
    {
        _process = process;
        _watchdog = watchdog;
        Directory = directory;
    }

    public string Directory { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Fails (never skips) when the binary is not installed.</summary>
    public static string RequireBinary(string path, string package)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is not installed (Debian package {package}); the storage tests need a real server");
        }

        return path;
    }

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs a command to completion (setup steps such as initdb) and fails with its output when it fails.</summary>
    public static void Run(string file, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}");
        }

        if (process.ExitCode != 0)
        {
            Assert.Fail($"{file} {string.Join(' ', info.ArgumentList)} failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        }
    }

    public static ServerProcess Start(string file, IEnumerable<string> arguments, string directory)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        var script = string.Create(
            CultureInfo.InvariantCulture,
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; kill -9 {process.Id} 2>/dev/null; sleep 1; rm -rf '{directory}'");
        var watchdog = Process.Start(new ProcessStartInfo("setsid") { ArgumentList = { "sh", "-c", script }, UseShellExecute = false })!;
        var server = new ServerProcess(process, watchdog, directory);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls <paramref name="ready"/> until it succeeds; fails with the server's output on timeout or exit.</summary>
    public async Task WaitUntilReadyAsync(Func<Task<bool>> ready, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"{what} exited with {_process.ExitCode} before accepting connections:\n{Output}");
            }

            if (await ready())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{what} did not accept connections within {timeout}:\n{Output}");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        try
        {
            if (!_watchdog.HasExited)
            {
                _watchdog.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _watchdog.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }
}
