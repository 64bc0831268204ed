using System.Net;
using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Plugins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Prometheus.Tests.Support;

/// <summary>
/// Hosts the plugin as the daemon does: constructed with a <see cref="PluginContext"/>, its endpoints mapped on a real
/// Kestrel server on 127.0.0.1 with a free port, then started. Messages are handed to it as the router would.
/// </summary>
internal sealed class PluginHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ILoggerFactory _loggerFactory;
    private readonly string _directory;
    private bool _stopped;

    private PluginHost(WebApplication app, PrometheusPlugin plugin, TestMetricRelay relay, RecordingLoggerProvider logs, ILoggerFactory loggerFactory, string directory, Uri address)
    {
        _app = app;
        Plugin = plugin;
        Relay = relay;
        Logs = logs;
        _loggerFactory = loggerFactory;
        _directory = directory;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public PrometheusPlugin Plugin { get; }

    public TestMetricRelay Relay { get; }

    public RecordingLoggerProvider Logs { get; }

    /// <summary>The daemon server's address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>Builds the context, constructs the plugin, fails the test on any config problem, and starts it on Kestrel.</summary>
    /// <param name="config">The <c>[prometheus]</c> table.</param>
    /// <param name="time">The plugin's clock; null for the system clock.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="upstream">
    /// Builds a producing plugin (e.g. the Burrow webhook) whose endpoints share the server and whose events are handed
    /// to the Prometheus plugin as the router's publish phase would; null for none.
    /// </param>
    public static async Task<PluginHost> StartAsync(
        ConfigSection config, TimeProvider? time, CancellationToken cancellationToken, Func<PluginContext, IHttpEndpoints>? upstream = null)
    {
        var relay = new TestMetricRelay();
        var logs = new RecordingLoggerProvider();
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var directory = Directory.CreateTempSubdirectory("gordon-prom-plugin-").FullName;
        var plugin = new PrometheusPlugin(Context(config, relay, loggerFactory, time ?? TimeProvider.System, directory));
        Assert.That(config.Problems, Is.Empty, "config problems");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        if (upstream is not null)
        {
            var upstreamConfig = new ConfigSection(new ConfigTable("burrow", []));
            var producer = upstream(new PluginContext
            {
                Name = "burrow",
                Config = upstreamConfig,
                Sink = new PublishPhaseSink(plugin, relay),
                Metrics = relay,
                Logger = loggerFactory.CreateLogger("Gordon.Plugins.burrow"),
                LoggerFactory = loggerFactory,
                TimeProvider = time ?? TimeProvider.System,
                StateDirectory = directory,
                ConfigRoot = directory,
            });
            Assert.That(upstreamConfig.Problems, Is.Empty, "upstream config problems");
            producer.MapEndpoints(app);
        }

        plugin.MapEndpoints(app);
        await app.StartAsync(cancellationToken);
        await plugin.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PluginHost(app, plugin, relay, logs, loggerFactory, directory, new Uri(address + "/"));
    }

    /// <summary>The context the daemon would build for a plugin named <c>prometheus</c>.</summary>
    public static PluginContext Context(ConfigSection config, TestMetricRelay relay, ILoggerFactory loggerFactory, TimeProvider time, string directory) => new()
    {
        Name = "prometheus",
        Config = config,
        Sink = new NullEventSink(),
        Metrics = relay,
        Logger = loggerFactory.CreateLogger("Gordon.Plugins.prometheus"),
        LoggerFactory = loggerFactory,
        TimeProvider = time,
        StateDirectory = directory,
        ConfigRoot = directory,
    };

    /// <summary>Hands a message to the plugin as the router's publish phase would.</summary>
    public async Task HandleAsync(Event @event) => await Plugin.HandleAsync(new TestEventMessage(@event), CancellationToken.None);

    /// <summary>GETs the metrics path and returns the response (the caller disposes it).</summary>
    public async Task<HttpResponseMessage> GetAsync(string path = "metrics", string? accept = null, Uri? baseAddress = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress ?? Address, path));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Scrapes <c>/metrics</c> in the 0.0.4 text format and parses it strictly.</summary>
    public async Task<Exposition> ScrapeAsync() => Exposition.Parse(await ScrapeTextAsync(), openMetrics: false);

    /// <summary>Scrapes <c>/metrics</c> in the 0.0.4 text format.</summary>
    public async Task<string> ScrapeTextAsync()
    {
        using var response = await GetAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Stops the plugin as the daemon does at shutdown (before the server goes away).</summary>
    public async Task StopPluginAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Plugin.StopAsync(deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopPluginAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Client.Dispose();
        Relay.Dispose();
        _loggerFactory.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
