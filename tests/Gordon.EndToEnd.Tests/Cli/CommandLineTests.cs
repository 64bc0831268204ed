using Gordon.EndToEnd.Tests.Support;

namespace Gordon.EndToEnd.Tests.Cli;

public sealed class CommandLineTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Version_PrintsDaemonAndContractVersion(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await DaemonProcess.RunToEndAsync("version", cancellationToken);

        Assert.That(exitCode, Is.Zero);
        Assert.That(output, Does.Match(@"^gordon \d+\.\d+\.\d+ \(plugin contract 1\.\d+\)"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Validate_ThreeDistinctErrors_ListsAllThreeAndExits78(CancellationToken cancellationToken)
    {
        using var root = new TempConfigRoot();
        root.WriteUserConfig(
            "[core]\nplugins = [\"missing.plugin\"]\n[core.router]\nmax_attempts = -1\n[core.route]\nconsume = \"nowhere\"\n");

        var (exitCode, output) = await DaemonProcess.RunToEndAsync($"validate -c \"{root.Path}\"", cancellationToken);

        Assert.That(exitCode, Is.EqualTo(78), output);
        Assert.That(output, Does.Contain("missing.plugin"));
        Assert.That(output, Does.Contain("core.router.max_attempts"));
        Assert.That(output, Does.Contain("nowhere"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Validate_ShippedConfig_IsOk(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await DaemonProcess.RunToEndAsync($"validate -c \"{PublishedDaemon.Directory}\"", cancellationToken);

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("OK"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task UnknownCommand_IsAUsageError(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await DaemonProcess.RunToEndAsync("frobnicate", cancellationToken);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Does.Contain("frobnicate"));
    }

    [TestCase("run")]
    [TestCase("validate")]
    [TestCase("plugins")]
    [TestCase("deadletters")]
    [CancelAfter(30_000)]
    public async Task Help_IsAvailableOnEachCommand(string command, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await DaemonProcess.RunToEndAsync(command + " --help", cancellationToken);

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("Usage:"));
    }
}
