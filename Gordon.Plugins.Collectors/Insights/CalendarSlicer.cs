using Gordon.Abstractions.Collectors;

namespace Gordon.Plugins.Collectors.Insights;

/// <summary>
/// The built-in slicings: slices bounded by whole UTC hours or midnights, from the requested start (or the key's
/// watermark) to the end of the window. A full sync re-slices the whole horizon (28 days).
/// </summary>
internal sealed class CalendarSlicer(TimeSpan unit) : ICollectorSlicer
{
    public static CalendarSlicer Daily { get; } = new(TimeSpan.FromDays(1));

    public static CalendarSlicer Hourly { get; } = new(TimeSpan.FromHours(1));

    public IEnumerable<CollectorSlice> Slice(SliceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = request.FullSync ? request.Horizon : request.Since ?? request.Watermark;
        var until = request.Until;
        while (start < until)
        {
            var boundary = new DateTimeOffset((start.UtcTicks / unit.Ticks + 1) * unit.Ticks, TimeSpan.Zero);
            var end = boundary < until ? boundary : until;
            yield return new CollectorSlice(start, end);
            start = end;
        }
    }
}
