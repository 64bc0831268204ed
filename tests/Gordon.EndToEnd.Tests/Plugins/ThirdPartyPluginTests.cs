using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gordon.EndToEnd.Tests.Support;

namespace Gordon.EndToEnd.Tests.Plugins;

/// <summary>
/// What the README promises a plugin author: publish the plugin into plugins/, name it in
/// gordon-user.toml, and the published daemon runs it.
/// </summary>
public sealed class ThirdPartyPluginTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Test]
    [CancelAfter(240_000)]
    public async Task HelloSample_PublishedIntoPlugins_AndNamed_Runs(CancellationToken cancellationToken)
    {
        using var root = new TempConfigRoot();
        var project = Path.Combine(PublishedDaemon.RepositoryRoot, "samples", "HelloPlugin");
        var publish = Process.Start(new ProcessStartInfo(
            "dotnet",
            $"publish \"{project}\" -c Release -o \"{Path.Combine(root.PluginsDirectory, "HelloPlugin")}\" --nologo")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var publishOutput = await publish.StandardOutput.ReadToEndAsync(cancellationToken);
        await publish.WaitForExitAsync(cancellationToken);
        Assert.That(publish.ExitCode, Is.Zero, publishOutput);

        root.WriteUserConfig("[core]\nplugins = [\"hello\"]\n\n[hello]\ngreeting = \"hi from the e2e test\"\ninterval = \"200ms\"\n");
        await using var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"");
        var address = await daemon.WaitUntilListeningAsync(cancellationToken);

        // The runnable emits, the router routes, and the same plugin's publish handler logs it.
        await daemon.WaitForOutputAsync("greeting hi from the e2e test", cancellationToken);

        using var plugins = await Http.GetAsync(new Uri(address, "/plugins"), cancellationToken);
        var hello = JsonDocument.Parse(await plugins.Content.ReadAsStringAsync(cancellationToken)).RootElement[0];
        Assert.That(plugins.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(hello.GetProperty("name").GetString(), Is.EqualTo("hello"));
        Assert.That(hello.GetProperty("kind").GetString(), Is.EqualTo("runnable+handler"));
        Assert.That(hello.GetProperty("phase").GetString(), Is.EqualTo("publish"));
        Assert.That(hello.GetProperty("state").GetString(), Is.EqualTo("running"));
        Assert.That(hello.GetProperty("handled").GetInt64(), Is.GreaterThan(0));

        var (exitCode, listing) = await DaemonProcess.RunToEndAsync($"plugins -c \"{root.Path}\"", cancellationToken);
        Assert.That(exitCode, Is.Zero, listing);
        Assert.That(listing, Does.Match(@"hello\s+runnable\+handler\s+publish\s+\S+\s+loaded"));

        daemon.Signal(PosixSignalNumber.Term);
        Assert.That(await daemon.WaitForExitAsync(cancellationToken), Is.Zero, daemon.Output);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Strict_CorruptPluginDll_ExitsNonZero_WithoutStrictItIsAWarning(CancellationToken cancellationToken)
    {
        using var root = new TempConfigRoot();
        Directory.CreateDirectory(Path.Combine(root.PluginsDirectory, "Broken"));
        await File.WriteAllBytesAsync(Path.Combine(root.PluginsDirectory, "Broken", "Broken.dll"), [0x4d, 0x5a, 0x00, 0x01, 0x02], cancellationToken);
        root.WriteUserConfig("[core]\nplugins = []\n");

        var (strictCode, strictOutput) = await DaemonProcess.RunToEndAsync($"run --strict -c \"{root.Path}\"", cancellationToken);
        Assert.That(strictCode, Is.EqualTo(78), strictOutput);
        Assert.That(strictOutput, Does.Contain("Broken.dll"));

        var (validateCode, validateOutput) = await DaemonProcess.RunToEndAsync($"validate -c \"{root.Path}\"", cancellationToken);
        Assert.That(validateCode, Is.Zero, validateOutput);
        Assert.That(validateOutput, Does.Contain("warning").And.Contain("Broken.dll"));
    }
}
