using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gordon.EndToEnd.Tests.Support;

namespace Gordon.EndToEnd.Tests.Hosting;

/// <summary>`systemctl reload gordon` after dropping a plugin folder in, and after taking a plugin out of the list.</summary>
public sealed class ReloadPluginChangesTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Test]
    [CancelAfter(120_000)]
    public async Task Sighup_PicksUpADroppedPluginFolder_AndStopsARemovedPlugin(CancellationToken cancellationToken)
    {
        using var root = new TempConfigRoot();
        root.AddPublishedPlugin("Gordon.Plugins.Burrow");
        var port = FreePort();
        root.WriteUserConfig(Config(port, "\"burrow\""));
        await using var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"");
        var address = await daemon.WaitUntilListeningAsync(cancellationToken);
        Assert.That(await PluginNamesAsync(address, cancellationToken), Is.EqualTo(new[] { "burrow" }));

        // A new plugin folder dropped into plugins/ and named in the config: the reload finds and starts it.
        root.AddPublishedPlugin("Gordon.Plugins.Prometheus");
        root.WriteUserConfig(Config(port, "\"burrow\", \"prometheus\""));
        daemon.Signal(PosixSignalNumber.Hup);
        var names = await WaitForPluginsAsync(address, ["burrow", "prometheus"], cancellationToken);
        Assert.That(names, Is.EqualTo(new[] { "burrow", "prometheus" }));
        using (var metrics = await Http.GetAsync(new Uri(address, "/metrics"), cancellationToken))
        {
            Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // Taken out of the list: it stops cleanly and its routes go with it.
        root.WriteUserConfig(Config(port, "\"prometheus\""));
        daemon.Signal(PosixSignalNumber.Hup);
        Assert.That(await WaitForPluginsAsync(address, ["prometheus"], cancellationToken), Is.EqualTo(new[] { "prometheus" }));
        Assert.That(await WaitForBurrowRouteGoneAsync(address, cancellationToken), Is.EqualTo(HttpStatusCode.NotFound));

        Assert.That(daemon.Output, Does.Not.Contain("failed to stop"));
        daemon.Signal(PosixSignalNumber.Term);
        Assert.That(await daemon.WaitForExitAsync(cancellationToken), Is.Zero, daemon.Output);
    }

    private static string Config(int port, string plugins) =>
        $"[core]\nplugins = [{plugins}]\n\n[core.http]\nlisten = \"127.0.0.1:{port}\"\n";

    private static Task<string[]?> WaitForPluginsAsync(Uri address, string[] expected, CancellationToken cancellationToken) =>
        AskUntilAsync(() => PluginNamesAsync(address, cancellationToken), names => names.SequenceEqual(expected), cancellationToken);

    /// <summary>
    /// POSTs to /burrow until it answers 404. The old server, stopping its plugins one by one, can list only prometheus
    /// as running and then close its listener before the new one opens: neither is the answer of the reloaded daemon.
    /// </summary>
    private static Task<HttpStatusCode?> WaitForBurrowRouteGoneAsync(Uri address, CancellationToken cancellationToken) =>
        AskUntilAsync<HttpStatusCode?>(
            async () =>
            {
                using var burrow = await Http.PostAsync(new Uri(address, "/burrow"), new StringContent("{}"), cancellationToken);
                return burrow.StatusCode;
            },
            status => status == HttpStatusCode.NotFound,
            cancellationToken);

    /// <summary>Asks until the answer is the one wanted, for up to 30 s, through the moments without a listener; returns the last answer.</summary>
    private static async Task<T?> AskUntilAsync<T>(Func<Task<T>> ask, Func<T, bool> wanted, CancellationToken cancellationToken)
    {
        var last = default(T);
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(100, cancellationToken))
        {
            try
            {
                last = await ask();
                if (wanted(last))
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // The server is rebuilt on reload: a moment without a listener.
            }
        }

        return last;
    }

    private static async Task<string[]> PluginNamesAsync(Uri address, CancellationToken cancellationToken)
    {
        var plugins = JsonDocument.Parse(await Http.GetStringAsync(new Uri(address, "/plugins"), cancellationToken)).RootElement;
        return [.. plugins.EnumerateArray().Where(p => p.GetProperty("state").GetString() == "running").Select(p => p.GetProperty("name").GetString()!)];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
