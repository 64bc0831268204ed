using System.Diagnostics;
using System.Globalization;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Hosting;

/// <summary>
/// The host watches no folder of its config root: a recursive watch there covers the state folder, and every spool or
/// store write would wake a watcher thread.
/// </summary>
public sealed class FileWatchTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Run_WatchesNoFolderOfTheConfigRoot(CancellationToken cancellationToken)
    {
        using var root = new ConfigTempRoot().WithDefaults("""
            [core]
            plugins = []
            state_dir = "state"

            [core.http]
            listen = "127.0.0.1:0"

            [core.spool]
            enabled = true
            """);

        await using var daemon = await InProcessDaemon.StartAsync(root.Path, cancellationToken);

        var folders = new[] { root.Path, Path.Combine(root.Path, "state"), Path.Combine(root.Path, "state", "spool") };
        Assert.That(folders.Select(Directory.Exists), Is.All.True, "the state and spool folders exist while the daemon runs");
        var inodes = new List<string>();
        foreach (var folder in folders)
        {
            inodes.Add(await InodeOfAsync(folder, cancellationToken));
        }

        Assert.That(WatchedInodes().Intersect(inodes), Is.Empty, "inotify watches on the config root, state or spool folder");
    }

    /// <summary>The inodes (hex, as /proc prints them) of every inotify watch this process holds.</summary>
    private static List<string> WatchedInodes()
    {
        var watched = new List<string>();
        foreach (var descriptor in Directory.GetFiles("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(descriptor).LinkTarget;
            }
            catch (IOException)
            {
                continue;
            }

            if (target != "anon_inode:inotify")
            {
                continue;
            }

            var info = File.ReadAllLines(Path.Combine("/proc/self/fdinfo", Path.GetFileName(descriptor)));
            watched.AddRange(info
                .Where(line => line.StartsWith("inotify ", StringComparison.Ordinal))
                .SelectMany(line => line.Split(' '))
                .Where(field => field.StartsWith("ino:", StringComparison.Ordinal))
                .Select(field => field["ino:".Length..]));
        }

        return watched;
    }

    private static async Task<string> InodeOfAsync(string path, CancellationToken cancellationToken)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var output = await stat.StandardOutput.ReadToEndAsync(cancellationToken);
        await stat.WaitForExitAsync(cancellationToken);
        return long.Parse(output.Trim(), CultureInfo.InvariantCulture).ToString("x", CultureInfo.InvariantCulture);
    }
}
