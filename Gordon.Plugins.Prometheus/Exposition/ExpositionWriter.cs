using System.IO.Pipelines;
using Gordon.Plugins.Prometheus.Lag;
using Prometheus;

namespace Gordon.Plugins.Prometheus.Exposition;

/// <summary>
/// The whole exposition: stale lag series swept, the lag families, then the prometheus-net registry (daemon, runtime
/// and the plugin's own metrics), which ends an OpenMetrics document with <c># EOF</c>.
/// </summary>
/// <param name="store">The lag series.</param>
/// <param name="lag">Writes them.</param>
/// <param name="registry">The plugin's registry.</param>
internal sealed class ExpositionWriter(LagSeriesStore store, LagExpositionWriter lag, CollectorRegistry registry)
{
    /// <summary>Writes the exposition to a stream.</summary>
    /// <param name="stream">Where to.</param>
    /// <param name="format">Text 0.0.4 or OpenMetrics.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when written.</returns>
    public async Task WriteAsync(Stream stream, ExpositionFormat format, CancellationToken cancellationToken)
    {
        var pipe = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        await WriteAsync(pipe, stream, format, cancellationToken).ConfigureAwait(false);
        await pipe.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Writes the exposition: the lag series through the pipe, then the registry through the stream over the same pipe.</summary>
    /// <param name="pipe">The pipe (Kestrel's response body writer).</param>
    /// <param name="stream">The stream the same bytes go to (Kestrel's response body).</param>
    /// <param name="format">Text 0.0.4 or OpenMetrics.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when written.</returns>
    public async Task WriteAsync(PipeWriter pipe, Stream stream, ExpositionFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        store.Sweep();

        // The lag writer flushes at its end, so the registry's bytes follow its own on the stream.
        await lag.WriteAsync(pipe, cancellationToken).ConfigureAwait(false);
        await registry.CollectAndExportAsTextAsync(stream, format, cancellationToken).ConfigureAwait(false);
    }
}
