using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Gordon.EndToEnd.Tests.Support;

/// <summary>The published daemon as a child process: its output captured, its address read from the log.</summary>
internal sealed partial class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DaemonProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public Uri BaseAddress => _listening.Task.IsCompletedSuccessfully ? _listening.Task.Result : throw new InvalidOperationException("Not listening yet.");

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

    public int ExitCode => _process.ExitCode;

    public static DaemonProcess Start(string arguments, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(PublishedDaemon.Executable, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["JOURNAL_STREAM"] = null;
        info.Environment["NOTIFY_SOCKET"] = null;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(process);
        process.OutputDataReceived += (_, e) => daemon.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.OnLine(e.Data);
        process.Exited += (_, _) => daemon._listening.TrySetException(new InvalidOperationException("The daemon exited before listening:\n" + daemon.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>Runs a command to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(string arguments, CancellationToken cancellationToken)
    {
        await using var daemon = Start(arguments);
        await daemon._process.WaitForExitAsync(cancellationToken);
        return (daemon.ExitCode, daemon.Output);
    }

    public Task<Uri> WaitUntilListeningAsync(CancellationToken cancellationToken) => _listening.Task.WaitAsync(cancellationToken);

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public async Task WaitForOutputAsync(string text, CancellationToken cancellationToken)
    {
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The daemon exited before printing '{text}':\n{Output}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public void Signal(PosixSignalNumber signal)
    {
        if (Kill(_process.Id, (int)signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Listening on (http://\S+)")]
    private static partial Regex ListeningLine();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>The Linux signal numbers the tests send.</summary>
internal enum PosixSignalNumber
{
    Hup = 1,
    Int = 2,
    Kill = 9,
    Term = 15,
}
