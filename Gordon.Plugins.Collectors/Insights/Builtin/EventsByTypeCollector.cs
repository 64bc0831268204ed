using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Stores;

namespace Gordon.Plugins.Collectors.Insights.Builtin;

/// <summary>
/// Hourly event counts per event type from the store, one day per slice: <c>hour,event_type,count</c>, hours in
/// ISO 8601 UTC. A day without events ships nothing and still moves the watermark.
/// </summary>
[Collector("events_by_type", "1.0", Format = CollectorFormat.Csv, Slicing = CollectorSlicing.Daily, Description = "Hourly event counts per type, sliced by day")]
public sealed class EventsByTypeCollector : ICollector
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
            await splitter.WriteAsync(CsvText.Line("hour", "event_type", "count"), cancellationToken).ConfigureAwait(false);
            await foreach (var row in reader.HourlyCountsAsync(since, until, cancellationToken).ConfigureAwait(false))
            {
                await splitter.WriteAsync(CsvText.Line(CsvText.Time(row.Hour), row.EventType, CsvText.Number(row.Count)), cancellationToken).ConfigureAwait(false);
            }

            return CollectorOutput.Csv(await splitter.CompleteAsync(cancellationToken).ConfigureAwait(false));
        }
    }
}
