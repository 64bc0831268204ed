using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Burrow.Tests.Support;
using Gordon.Plugins.Burrow.Webhook;

namespace Gordon.Plugins.Burrow.Tests.Webhook;

/// <summary>The webhook plugin on a real server, with a recording sink and metrics.</summary>
internal sealed class WebhookTestBed : IAsyncDisposable
{
    private WebhookTestBed(BurrowWebhookPlugin plugin, EndpointServer server, RecordingSink sink, RecordingMetricRelay metrics)
    {
        Plugin = plugin;
        Server = server;
        Sink = sink;
        Metrics = metrics;
    }

    public BurrowWebhookPlugin Plugin { get; }

    public EndpointServer Server { get; }

    public RecordingSink Sink { get; }

    public RecordingMetricRelay Metrics { get; }

    public HttpClient Client => Server.Client;

    public static async Task<WebhookTestBed> StartAsync(CancellationToken cancellationToken, IDaemonInfo? daemon = null, params (string Key, object Value)[] config)
    {
        var section = TestContexts.Config("burrow", config);
        var sink = new RecordingSink();
        var metrics = new RecordingMetricRelay();
        var plugin = new BurrowWebhookPlugin(TestContexts.Context("burrow", section, sink, metrics, daemon: daemon));
        Assert.That(section.Problems, Is.Empty, "the test's config must be valid");
        return new WebhookTestBed(plugin, await EndpointServer.StartAsync(plugin, cancellationToken), sink, metrics);
    }

    public static StringContent Json(string body, string mediaType = "application/json") => new(body, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));

    public Task<HttpResponseMessage> PostAsync(string body, CancellationToken cancellationToken) =>
        Client.PostAsync(new Uri("/burrow", UriKind.Relative), Json(body), cancellationToken);

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return JsonDocument.Parse(text).RootElement;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
