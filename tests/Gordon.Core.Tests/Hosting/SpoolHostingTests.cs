using System.Net.Http.Json;
using System.Text.Json;
using Gordon.Core.Spool;
using Gordon.Core.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Core.Tests.Hosting;

/// <summary>The spool inside the real host: what a previous run left is replayed, and a clean stop leaves it empty.</summary>
public sealed class SpoolHostingTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_ReplaysWhatTheLastRunLeft_AndStopsWithAnEmptySpool(CancellationToken cancellationToken)
    {
        using var plugins = new PluginTestDirectory();
        plugins.AddFolder("GoodPlugin");
        using var root = new ConfigTempRoot().WithDefaults($"""
            [core]
            plugins = ["good"]
            plugin_dirs = ["{plugins.Root}"]
            state_dir = "state"

            [core.http]
            listen = "127.0.0.1:0"

            [core.spool]
            enabled = true

            [good]
            count = 20
            """);
        var spoolDirectory = Path.Combine(root.Path, "state", "spool");
        var (left, _) = DurableSpool.Open(SpoolOptions.Default with { Enabled = true, Directory = spoolDirectory }, NullLogger.Instance, TimeProvider.System);
        await left.AppendAsync(RouterTestEvents.Create("left-by-a-crash"), cancellationToken);
        await left.DisposeAsync();
        Assert.That(Directory.GetFiles(spoolDirectory), Is.Not.Empty);

        await using var daemon = await InProcessDaemon.StartAsync(root.Path, cancellationToken);
        var address = daemon.Address;

        // 20 emitted by the runnable plus the replayed one, each handled once by the same plugin's handler.
        long handled = 0;
        while (handled < 21)
        {
            var plugin = (await Http.GetFromJsonAsync<JsonElement>(new Uri(address, "/plugins"), cancellationToken))[0];
            handled = plugin.GetProperty("handled").GetInt64();
            await Task.Delay(20, cancellationToken);
        }

        Assert.That(await daemon.StopAsync(), Is.Zero);

        Assert.That(handled, Is.EqualTo(21));
        Assert.That(Directory.GetFiles(spoolDirectory), Is.Empty);
    }
}
