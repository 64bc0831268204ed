using System.IO.Compression;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Prometheus;

namespace Gordon.Plugins.Prometheus.Exposition;

/// <summary>Serves the exposition: <c>GET /metrics</c> on the daemon's server or on the plugin's own listener.</summary>
/// <param name="writer">Writes the exposition.</param>
/// <param name="openMetrics">Whether a scraper that asks for OpenMetrics gets it.</param>
/// <param name="gzip">Whether a scraper that accepts gzip gets it.</param>
internal sealed class MetricsEndpoint(ExpositionWriter writer, bool openMetrics, bool gzip)
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
        if (gzip)
        {
            response.Headers.Vary = "Accept-Encoding";
        }

        var compressed = gzip && ContentCoding.AcceptsGzip(context.Request.Headers.AcceptEncoding);
        try
        {
            if (compressed)
            {
                await WriteGzipAsync(response, format, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                await writer.WriteAsync(response.BodyWriter, response.Body, format, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The scraper went away (its timeout): nothing to answer.
        }
        catch (ScrapeFailedException ex) when (!response.HasStarted)
        {
            // Raised by a before-collect callback, before any byte is sent.
            response.Headers.ContentEncoding = StringValues.Empty;
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(ex.Message, context.RequestAborted).ConfigureAwait(false);
        }
    }

    // The exposition is written into a pipe that a second task compresses from, so on two cores writing and
    // compressing overlap. 42 MB for 10,000 groups × 8 partitions compress to about a sixteenth at the fastest level
    // (benchmarks/RESULTS.md).
    private async Task WriteGzipAsync(HttpResponse response, ExpositionFormat format, CancellationToken cancellationToken)
    {
        response.Headers.ContentEncoding = "gzip";
        var body = new PassThroughStream(response.Body, forwardFlushes: true);
        var compressor = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true);
        var pipe = new Pipe(PipeOptions);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var compressing = CompressAsync(pipe.Reader, compressor, stop, cancellationToken);
        try
        {
            try
            {
                await writer.WriteAsync(pipe.Writer, pipe.Writer.AsStream(leaveOpen: true), format, stop.Token).ConfigureAwait(false);
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex).ConfigureAwait(false);
                throw;
            }
            finally
            {
                await compressing.ConfigureAwait(false);
            }
        }
        catch
        {
            // What the compressor still holds must not follow an error answer (or a cut response) into the body.
            body.Detach();
            throw;
        }
        finally
        {
            await compressor.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static readonly PipeOptions PipeOptions = new(
        pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, minimumSegmentSize: 64 * 1024, useSynchronizationContext: false);

    private static async Task CompressAsync(PipeReader reader, Stream compressor, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                foreach (var segment in read.Buffer)
                {
                    await compressor.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
                }

                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }

            await reader.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The scraper went away (or the writer failed): stop the writer too instead of letting it fill the pipe.
            await stop.CancelAsync().ConfigureAwait(false);
            await reader.CompleteAsync(ex).ConfigureAwait(false);
            if (ex is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                throw;
            }
        }
    }
}
