using System.Diagnostics;
using Gordon.Abstractions.Metrics;

namespace Gordon.Plugins.CloudWatch.Diagnostics;

/// <summary>
/// The plugin's metrics on the daemon's relay, each tagged <c>reporter</c> = the plugin instance's name. The Prometheus
/// plugin exports <c>cloudwatch-api-calls{reporter,status}</c> as Karrot's <c>karrot_reporter_cloudwatch_api_count_total</c>.
/// </summary>
internal sealed class PluginMetrics(IMetricRelay relay, string reporter)
{
    public const string ApiCalls = "cloudwatch-api-calls";
    public const string DatumsSent = "cloudwatch-datums-sent";
    public const string DatumsDropped = "cloudwatch-datums-dropped";
    public const string DatumsRetried = "cloudwatch-datums-retried";
    public const string DatumsSkipped = "cloudwatch-datums-skipped";
    public const string EventsIgnored = "cloudwatch-events-ignored";
    public const string Buffered = "cloudwatch-buffered";
    public const string UnsentFiles = "cloudwatch-unsent-files";

    public string Reporter => reporter;

    /// <summary>One PutMetricData call; <paramref name="status"/> is the HTTP status code as text, or <c>error</c>.</summary>
    public void ApiCall(string status) => relay.Increment(ApiCalls, 1, new TagList { { "reporter", reporter }, { "status", status } });

    public void Sent(int count) => Count(DatumsSent, count);

    public void Retried(int count) => Count(DatumsRetried, count);

    /// <summary>Datums lost, by reason: <c>invalid</c>, <c>too_old</c>, <c>future</c>, <c>overflow</c>, <c>rejected</c> (AWS said 4xx), <c>too_large</c>.</summary>
    public void Dropped(string reason, int count)
    {
        if (count > 0)
        {
            relay.Increment(DatumsDropped, count, new TagList { { "reporter", reporter }, { "reason", reason } });
        }
    }

    /// <summary>A datum never made because the event lacked its trait (Burrow sent null).</summary>
    public void Skipped(string trait) => relay.Increment(DatumsSkipped, 1, new TagList { { "reporter", reporter }, { "trait", trait } });

    public void Ignored() => Count(EventsIgnored, 1);

    /// <summary>An unsent-datums file was written (<c>written</c>), re-sent (<c>resent</c>) or found corrupt (<c>corrupt</c>).</summary>
    public void UnsentFile(string outcome) => relay.Increment(UnsentFiles, 1, new TagList { { "reporter", reporter }, { "outcome", outcome } });

    public void SetBuffered(int count) => relay.Set(Buffered, count, new TagList { { "reporter", reporter } });

    private void Count(string name, int count)
    {
        if (count > 0)
        {
            relay.Increment(name, count, new TagList { { "reporter", reporter } });
        }
    }
}
