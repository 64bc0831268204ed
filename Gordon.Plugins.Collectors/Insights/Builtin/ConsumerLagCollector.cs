using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Stores;

namespace Gordon.Plugins.Collectors.Insights.Builtin;

/// <summary>
/// The latest consumer-lag report of each cluster and group in the window, from the store's
/// <c>burrow.consumer_status</c> events: <c>cluster,group,status,totallag,generated</c>.
/// </summary>
[Collector("consumer_lag", "1.0", Format = CollectorFormat.Csv, Description = "Latest lag per cluster and group")]
public sealed class ConsumerLagCollector : ICollector
{
    /// <inheritdoc />
    public async Task<CollectorOutput> CollectAsync(CollectorInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var (since, until) = StoreCollector.Window(invocation);
        var reader = StoreCollector.Reader(invocation);
        var splitter = StoreCollector.Splitter(invocation, since);
        await using (splitter.ConfigureAwait(false))
        {
            await splitter.WriteAsync(CsvText.Line("cluster", "group", "status", "totallag", "generated"), cancellationToken).ConfigureAwait(false);
            await foreach (var row in reader.LatestLagAsync(since, until, cancellationToken).ConfigureAwait(false))
            {
                await splitter.WriteAsync(
                    CsvText.Line(row.Cluster, row.Group, row.Status ?? string.Empty, CsvText.Number(row.TotalLag), CsvText.Time(row.Generated)),
                    cancellationToken).ConfigureAwait(false);
            }

            return CollectorOutput.Csv(await splitter.CompleteAsync(cancellationToken).ConfigureAwait(false));
        }
    }
}
