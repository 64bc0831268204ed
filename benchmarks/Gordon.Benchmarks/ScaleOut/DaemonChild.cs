using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Gordon.Benchmarks.ScaleOut;

/// <summary>One published daemon as a child process, in its own config root (removed with it).</summary>
internal sealed partial class DaemonChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _root;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DaemonChild(Process process, string root)
    {
        _process = process;
        _root = root;
    }

    public static async Task<(DaemonChild Daemon, Uri Address)> StartAsync(string daemonDirectory, string userConfig, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("gordon-scaleout-").FullName;
        File.Copy(Path.Combine(daemonDirectory, "gordon.toml"), Path.Combine(root, "gordon.toml"));
        Directory.CreateSymbolicLink(Path.Combine(root, "plugins"), Path.Combine(daemonDirectory, "plugins"));
        await File.WriteAllTextAsync(Path.Combine(root, "gordon-user.toml"), userConfig, cancellationToken).ConfigureAwait(false);
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(Path.Combine(daemonDirectory, "gordon"), ["run", "-c", root])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            },
            EnableRaisingEvents = true,
        };
        var child = new DaemonChild(process, root);
        var tail = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Scan(object _, DataReceivedEventArgs e)
        {
            if (e.Data is not { } line)
            {
                return;
            }

            tail.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } m)
            {
                child._listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        }

        process.OutputDataReceived += Scan;
        process.ErrorDataReceived += Scan;
        process.Exited += (_, _) => child._listening.TrySetException(new InvalidOperationException("the daemon exited:\n" + string.Join('\n', tail)));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await child._listening.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            return (child, address);
        }
        catch
        {
            // A daemon left running would outlive the benchmark (and keep whatever file descriptors it inherited).
            await child.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _process.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [GeneratedRegex(@"Listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
