using System.Net;
using System.Text.Json;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Http;

/// <summary>/health through the real host, with a plugin whose health report the config chooses.</summary>
public sealed class HealthEndpointTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [TestCase("Healthy", HttpStatusCode.OK, "running")]
    [TestCase("Degraded", HttpStatusCode.OK, "degraded")]
    [TestCase("Unhealthy", HttpStatusCode.ServiceUnavailable, "unhealthy")]
    [CancelAfter(30_000)]
    public async Task Health_ReflectsTheWorstPluginReport(string health, HttpStatusCode expectedCode, string expectedStatus, CancellationToken cancellationToken)
    {
        using var plugins = new PluginTestDirectory();
        plugins.AddFolder("CommandPlugin");
        using var root = new ConfigTempRoot().WithDefaults($"""
            [core]
            plugins = ["commands"]
            plugin_dirs = ["{plugins.Root}"]
            state_dir = "state"

            [core.http]
            listen = "127.0.0.1:0"

            [commands]
            health = "{health}"
            """);
        await using var daemon = await InProcessDaemon.StartAsync(root.Path, cancellationToken);
        using var response = await Http.GetAsync(new Uri(daemon.Address, "/health"), cancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
        await daemon.StopAsync();

        Assert.That(response.StatusCode, Is.EqualTo(expectedCode));
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo(expectedStatus));
        var plugin = body.GetProperty("plugins").GetProperty("commands");
        Assert.That(plugin.GetProperty("health").GetString(), Is.EqualTo(health.ToLowerInvariant()));
        if (health != "Healthy")
        {
            Assert.That(plugin.GetProperty("health_detail").GetString(), Is.EqualTo("the fixture says " + health));
        }
    }
}
