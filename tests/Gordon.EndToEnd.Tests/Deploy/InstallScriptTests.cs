using System.Diagnostics;
using Gordon.EndToEnd.Tests.Support;

namespace Gordon.EndToEnd.Tests.Deploy;

/// <summary>deploy/install.sh into a scratch root (never the machine's own /opt and /etc), and the unit it installs.</summary>
public sealed class InstallScriptTests
{
    private string _root = null!;

    private static string Script => Path.Combine(PublishedDaemon.RepositoryRoot, "deploy", "install.sh");

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("gordon-install-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    [CancelAfter(60_000)]
    public async Task Install_LaysOutDaemonConfigStateAndUnit_PointingTheConfigAtThem(CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(cancellationToken, "--root", _root, "--from", PublishedDaemon.Directory);

        Assert.That(code, Is.Zero, output);
        Assert.That(File.Exists(Path.Combine(_root, "opt/gordon/gordon")), Is.True);
        Assert.That(Directory.Exists(Path.Combine(_root, "etc/gordon/plugins")), Is.True);
        Assert.That(Directory.Exists(Path.Combine(_root, "var/lib/gordon")), Is.True);
        Assert.That(File.Exists(Path.Combine(_root, "etc/systemd/system/gordon.service")), Is.True);
        Assert.That(File.Exists(Path.Combine(_root, "opt/gordon/gordon-user.toml")), Is.False, "the operator's file lives in /etc only");
        var defaults = await File.ReadAllTextAsync(Path.Combine(_root, "etc/gordon/gordon.toml"), cancellationToken);
        Assert.That(defaults, Does.Contain("plugin_dirs = [\"plugins\", \"/opt/gordon/plugins\"]"));
        Assert.That(defaults, Does.Contain("state_dir = \"/var/lib/gordon\""));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Reinstall_KeepsAnEditedUserConfig_UninstallKeepsConfigAndState(CancellationToken cancellationToken)
    {
        await RunAsync(cancellationToken, "--root", _root, "--from", PublishedDaemon.Directory);
        var user = Path.Combine(_root, "etc/gordon/gordon-user.toml");
        await File.WriteAllTextAsync(user, "# mine\n[core]\nplugins = []\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_root, "var/lib/gordon/events.db"), "data", cancellationToken);

        var (again, againOutput) = await RunAsync(cancellationToken, "--root", _root, "--from", PublishedDaemon.Directory);
        Assert.That(again, Is.Zero, againOutput);
        Assert.That(await File.ReadAllTextAsync(user, cancellationToken), Does.StartWith("# mine"));

        var (removed, removedOutput) = await RunAsync(cancellationToken, "--root", _root, "--uninstall");
        Assert.That(removed, Is.Zero, removedOutput);
        Assert.That(Directory.Exists(Path.Combine(_root, "opt/gordon")), Is.False);
        Assert.That(File.Exists(Path.Combine(_root, "etc/systemd/system/gordon.service")), Is.False);
        Assert.That(File.Exists(user), Is.True);
        Assert.That(File.Exists(Path.Combine(_root, "var/lib/gordon/events.db")), Is.True);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Install_WithoutAPublishedDaemon_SaysHowToMakeOne(CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(cancellationToken, "--root", _root, "--from", Path.Combine(_root, "nothing"));

        Assert.That(code, Is.Not.Zero);
        Assert.That(output, Does.Contain("no published daemon").And.Contain("--target=Publish"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Unit_PassesSystemdAnalyzeVerify(CancellationToken cancellationToken)
    {
        await RunAsync(cancellationToken, "--root", _root, "--from", PublishedDaemon.Directory);

        // verify checks that ExecStart exists: point it at this scratch install.
        var unit = await File.ReadAllTextAsync(Path.Combine(_root, "etc/systemd/system/gordon.service"), cancellationToken);
        var scratchUnit = Path.Combine(_root, "gordon.service");
        await File.WriteAllTextAsync(scratchUnit, unit.Replace("/opt/gordon/gordon", Path.Combine(_root, "opt/gordon/gordon"), StringComparison.Ordinal), cancellationToken);

        var (code, output) = await RunProcessAsync("systemd-analyze", ["verify", scratchUnit], cancellationToken);

        // systemd-analyze exits 0 on some bad lines ("ignoring"), so anything it prints is a failure too.
        Assert.That(code, Is.Zero, output);
        Assert.That(output.Trim(), Is.Empty);
    }

    private static Task<(int Code, string Output)> RunAsync(CancellationToken cancellationToken, params string[] args) =>
        RunProcessAsync("bash", [Script, .. args], cancellationToken);

    private static async Task<(int Code, string Output)> RunProcessAsync(string file, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
