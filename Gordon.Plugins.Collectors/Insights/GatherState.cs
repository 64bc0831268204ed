namespace Gordon.Plugins.Collectors.Insights;

/// <summary>What the gatherer keeps between runs.</summary>
/// <param name="LastGather">The end of the last gather whose every collection was shipped.</param>
/// <param name="LastAttempt">When the last shipping gather ran, whatever its outcome (drives the schedule).</param>
/// <param name="Entries">Per key, the end of the last unbroken run of shipped data; <c>&lt;key&gt;_full</c> for the last complete full sync.</param>
internal sealed record GatherState(DateTimeOffset? LastGather, DateTimeOffset? LastAttempt, IReadOnlyDictionary<string, DateTimeOffset> Entries)
{
    public static GatherState Empty { get; } = new(null, null, new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal));
}
