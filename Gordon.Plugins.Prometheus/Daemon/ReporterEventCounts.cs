using System.Collections.Concurrent;
using Prometheus;

namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>
/// Karrot's <c>karrot_reporter_events_count_total{reporter}</c>: events each publish-phase handler processed, one per
/// event per handler (Karrot counted its own reporter twice). The router records a duration for every handler attempt,
/// failed or not, and counts failed attempts as retried or failed, so successes are attempts minus those two; once the
/// core records <c>router-handler-handled</c>, that counter is used as it is.
/// </summary>
/// <remarks>
/// The router records an attempt's duration just before it counts the attempt as failed, so a scrape in between sees one
/// success too many. The exported value never goes down (Prometheus would read that as a counter reset); it stays
/// until the real count passes it.
/// </remarks>
internal sealed class ReporterEventCounts
{
    private readonly Counter _family;
    private readonly ConcurrentDictionary<string, Counts> _plugins = new(StringComparer.Ordinal);
    private volatile bool _direct;

    /// <summary>Creates the counter family.</summary>
    /// <param name="factory">The registry's factory.</param>
    public ReporterEventCounts(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _family = factory.CreateCounter("karrot_reporter_events_count_total", "Number of events processed by the reporter", ["reporter"]);
    }

    /// <summary>Reads <c>router-handler-duration</c>.</summary>
    /// <param name="value">The duration (unused).</param>
    /// <param name="tags">The tags.</param>
    public void OnAttempt(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (PublishHandler(tags) is { } counts)
        {
            Interlocked.Increment(ref counts.Attempts);
        }
    }

    /// <summary>Reads <c>router-handler-retried</c> and <c>router-handler-failed</c>.</summary>
    /// <param name="value">The count.</param>
    /// <param name="tags">The tags.</param>
    public void OnUnsuccessful(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (PublishHandler(tags) is { } counts)
        {
            Interlocked.Add(ref counts.Unsuccessful, (long)value);
        }
    }

    /// <summary>Reads <c>router-handler-handled</c>.</summary>
    /// <param name="value">The count.</param>
    /// <param name="tags">The tags.</param>
    public void OnHandled(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        _direct = true;
        if (PublishHandler(tags) is { } counts)
        {
            Interlocked.Add(ref counts.Handled, (long)value);
        }
    }

    /// <summary>Brings the exported counters up to date; called before every collection.</summary>
    public void Flush()
    {
        foreach (var (_, counts) in _plugins)
        {
            var value = _direct
                ? Interlocked.Read(ref counts.Handled)
                : Interlocked.Read(ref counts.Attempts) - Interlocked.Read(ref counts.Unsuccessful);
            counts.Child.IncTo(Math.Max(0, value));
        }
    }

    private Counts? PublishHandler(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (TagValues.Find(tags, RouterMetricNames.PhaseTag) is not string phase
            || !string.Equals(phase, RouterMetricNames.PublishPhase, StringComparison.Ordinal)
            || TagValues.Find(tags, RouterMetricNames.PluginTag) is not string plugin)
        {
            return null;
        }

        return _plugins.TryGetValue(plugin, out var counts)
            ? counts
            : _plugins.GetOrAdd(plugin, static (name, family) => new Counts(family.WithLabels(name)), _family);
    }

    private sealed class Counts(Counter.Child child)
    {
        public long Attempts;
        public long Unsuccessful;
        public long Handled;

        public Counter.Child Child { get; } = child;
    }
}
