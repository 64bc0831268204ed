namespace Gordon.Plugins.Burrow.Poller;

/// <summary>The poller's metric names and labels.</summary>
internal static class PollerMetricNames
{
    /// <summary>Poll cycles run.</summary>
    public const string Cycles = "burrow-poller-cycles";

    /// <summary>GETs to Burrow, by <c>stage</c> (clusters, consumers, lag) and <c>outcome</c> (ok, not_found, failed).</summary>
    public const string Requests = "burrow-poller-requests";

    /// <summary>Groups polled, by <c>outcome</c>: emitted, not_found, failed, invalid, refused.</summary>
    public const string Groups = "burrow-poller-groups";

    public const string StageTag = "stage";

    public const string OutcomeTag = "outcome";
}
