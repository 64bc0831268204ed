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
    /// <summary>Writes the exposition.</summary>
    /// <param name="stream">Where to.</param>
    /// <param name="format">Text 0.0.4 or OpenMetrics.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when written.</returns>
    public async Task WriteAsync(Stream stream, ExpositionFormat format, CancellationToken cancellationToken)
    {
        store.Sweep();
        await lag.WriteAsync(stream, cancellationToken).ConfigureAwait(false);
        await registry.CollectAndExportAsTextAsync(stream, format, cancellationToken).ConfigureAwait(false);
    }
}
