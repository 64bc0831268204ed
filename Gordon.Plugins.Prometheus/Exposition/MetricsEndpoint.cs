using Microsoft.AspNetCore.Http;
using Prometheus;

namespace Gordon.Plugins.Prometheus.Exposition;

/// <summary>Serves the exposition: <c>GET /metrics</c> on the daemon's server or on the plugin's own listener.</summary>
/// <param name="writer">Writes the exposition.</param>
/// <param name="openMetrics">Whether a scraper that asks for OpenMetrics gets it.</param>
internal sealed class MetricsEndpoint(ExpositionWriter writer, bool openMetrics)
{
    /// <summary>Writes the exposition.</summary>
    /// <param name="context">The request.</param>
    /// <returns>A task that completes when the response is written.</returns>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (format, contentType) = ExpositionNegotiator.Negotiate(context.Request.Headers.Accept, openMetrics);
        var response = context.Response;
        response.ContentType = contentType;
        response.Headers.CacheControl = "no-store";
        try
        {
            await writer.WriteAsync(response.BodyWriter, response.Body, format, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The scraper went away (its timeout): nothing to answer.
        }
        catch (ScrapeFailedException ex) when (!response.HasStarted)
        {
            // Raised by a before-collect callback, before any byte is written.
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(ex.Message, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
