namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>
/// The names and tags of the core's router metrics and of the plugins' metrics this plugin derives series from. They
/// are the core's and the CloudWatch plugin's constants (Gordon.Core/Metrics/RouterMetricNames.cs, the CloudWatch
/// plugin's PluginMetrics), repeated because a plugin references only the contract.
/// </summary>
internal static class RouterMetricNames
{
    /// <summary>Histogram (seconds): one handler attempt, tagged <c>plugin</c>, <c>phase</c>; recorded on success and on failure.</summary>
    public const string HandlerDuration = "router-handler-duration";

    /// <summary>Counter: failed attempts that are retried, tagged <c>plugin</c>, <c>phase</c>.</summary>
    public const string Retried = "router-handler-retried";

    /// <summary>Counter: handler calls that failed for good, tagged <c>plugin</c>, <c>phase</c>.</summary>
    public const string Failed = "router-handler-failed";

    /// <summary>
    /// Counter: handler calls that succeeded, tagged <c>plugin</c>, <c>phase</c>. Not recorded by the core yet; when it
    /// is, Karrot's event count reads it instead of deriving successes from attempts.
    /// </summary>
    public const string Handled = "router-handler-handled";

    /// <summary>Counter: PutMetricData calls of the CloudWatch plugin, tagged <c>reporter</c>, <c>status</c> (HTTP code or <c>error</c>).</summary>
    public const string CloudWatchApiCalls = "cloudwatch-api-calls";

    /// <summary>The <c>plugin</c> tag.</summary>
    public const string PluginTag = "plugin";

    /// <summary>The <c>phase</c> tag.</summary>
    public const string PhaseTag = "phase";

    /// <summary>The phase whose handlers are Karrot's reporters.</summary>
    public const string PublishPhase = "publish";
}
