using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Prometheus.Exposition;

/// <summary>The plugin's own HTTP listener (<c>listen</c>), serving only the metrics path, for setups that keep metrics off the API port.</summary>
internal sealed class MetricsListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricsListener(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The address it listens on (the real port when port 0 was configured).</summary>
    public Uri Address { get; }

    /// <summary>Starts listening.</summary>
    /// <param name="endPoint">The address and port.</param>
    /// <param name="localhost">True to listen on both loopback addresses (<c>localhost:port</c>).</param>
    /// <param name="path">The metrics path.</param>
    /// <param name="handler">Serves the path.</param>
    /// <param name="loggerFactory">The plugin's logger factory.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running listener.</returns>
    public static async Task<MetricsListener> StartAsync(
        IPEndPoint endPoint, bool localhost, string path, RequestDelegate handler, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (localhost)
            {
                kestrel.ListenLocalhost(endPoint.Port);
            }
            else
            {
                kestrel.Listen(endPoint);
            }
        });
        var app = builder.Build();
        app.MapGet(path, handler);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return new MetricsListener(app, new Uri(address ?? $"http://{endPoint}"));
    }

    /// <summary>Stops listening.</summary>
    /// <param name="cancellationToken">Ends the graceful stop early.</param>
    /// <returns>A task that completes when stopped.</returns>
    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
