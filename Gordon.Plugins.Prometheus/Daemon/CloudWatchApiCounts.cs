using System.Collections.Concurrent;
using System.Globalization;
using Prometheus;

namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>
/// Karrot's <c>karrot_reporter_cloudwatch_api_count_total{reporter,status}</c> from the CloudWatch plugin's
/// <c>cloudwatch-api-calls</c>: a 2xx answer counts as Karrot's <c>success</c>, anything else as <c>error</c>, so
/// Karrot's dashboards keep working; the HTTP code itself is on <c>gordon_cloudwatch_api_calls_total</c>.
/// </summary>
internal sealed class CloudWatchApiCounts
{
    private readonly Counter _family;
    private readonly ConcurrentDictionary<(string Reporter, bool Success), Counter.Child> _children = new();

    /// <summary>Creates the counter family.</summary>
    /// <param name="factory">The registry's factory.</param>
    public CloudWatchApiCounts(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _family = factory.CreateCounter("karrot_reporter_cloudwatch_api_count_total", "Number of calls made to Cloudwatch", ["reporter", "status"]);
    }

    /// <summary>Reads <c>cloudwatch-api-calls</c>.</summary>
    /// <param name="value">The number of calls.</param>
    /// <param name="tags">The tags.</param>
    public void OnApiCalls(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!(value > 0))
        {
            return;
        }

        var reporter = TagValues.Format(TagValues.Find(tags, "reporter"));
        var status = TagValues.Format(TagValues.Find(tags, "status"));
        var success = status == "success"
            || (int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 200 and <= 299);
        if (!_children.TryGetValue((reporter, success), out var child))
        {
            child = _children.GetOrAdd((reporter, success), static (key, family) => family.WithLabels(key.Reporter, key.Success ? "success" : "error"), _family);
        }

        child.Inc(value);
    }
}
