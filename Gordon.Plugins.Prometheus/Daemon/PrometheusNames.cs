using System.Diagnostics.Metrics;
using System.Text;

namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>
/// Prometheus names for <c>System.Diagnostics.Metrics</c> instruments, following the OpenTelemetry-to-Prometheus
/// convention: invalid characters become <c>_</c>, the unit is appended (<c>s</c> → <c>_seconds</c>, <c>By</c> →
/// <c>_bytes</c>), and counters end in <c>_total</c>. So <c>router-handler-duration</c> (seconds) is
/// <c>gordon_router_handler_duration_seconds</c> and <c>router-message-consumed</c> is
/// <c>gordon_router_message_consumed_total</c>: stable as long as the instrument keeps its name and kind. A gauge whose
/// name would end in <c>_count</c>, <c>_sum</c>, <c>_bucket</c> or <c>_total</c> gets <c>_value</c> appended.
/// </summary>
internal static class PrometheusNames
{
    private static readonly string[] ReservedSuffixes = ["_count", "_sum", "_bucket", "_total"];

    /// <summary>The metric name of an instrument.</summary>
    /// <param name="prefix">E.g. <c>gordon_</c>, or empty.</param>
    /// <param name="instrument">The instrument.</param>
    /// <param name="unit">Its unit (see <see cref="EffectiveUnit"/>).</param>
    /// <param name="isCounter">Whether it is exported as a counter.</param>
    /// <param name="isHistogram">Whether it is exported as a histogram.</param>
    /// <returns>The name.</returns>
    public static string MetricName(string prefix, Instrument instrument, string? unit, bool isCounter, bool isHistogram)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(instrument);
        var name = prefix + Sanitize(instrument.Name);
        if (UnitSuffix(unit) is { } suffix && !name.EndsWith(suffix, StringComparison.Ordinal))
        {
            name += suffix;
        }

        if (isCounter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }
        else if (!isCounter && !isHistogram && ReservedSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal)))
        {
            // A gauge named like a histogram's or counter's sample (the runtime's dotnet.timer.count) would confuse
            // queries and fails promtool's lint; the suffix keeps the name recognisable.
            name += "_value";
        }

        return name;
    }

    /// <summary>
    /// The instrument's unit; for a histogram of the daemon's relay without one whose name ends in <c>duration</c>,
    /// seconds. The relay's contract records durations in seconds, but its <c>Record</c> creates the histogram without
    /// a unit (only <c>Timer</c> sets one), so the router's <c>router-handler-duration</c> would otherwise lose its
    /// <c>_seconds</c> suffix and its sub-millisecond buckets, and change name the day the core adds the unit.
    /// </summary>
    /// <param name="instrument">The instrument.</param>
    /// <param name="fromDaemonRelay">Whether it belongs to the relay's meter.</param>
    /// <returns>The unit.</returns>
    public static string? EffectiveUnit(Instrument instrument, bool fromDaemonRelay)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        return string.IsNullOrEmpty(instrument.Unit) && fromDaemonRelay && instrument.Name.EndsWith("duration", StringComparison.Ordinal)
            && instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Histogram<>)
            ? "s"
            : instrument.Unit;
    }

    /// <summary>A label name for a tag key: <c>http.request.method</c> → <c>http_request_method</c>.</summary>
    /// <param name="tagKey">The tag key.</param>
    /// <returns>The label name.</returns>
    public static string LabelName(string tagKey)
    {
        ArgumentNullException.ThrowIfNull(tagKey);
        var name = Sanitize(tagKey);

        // Names starting with "__" are reserved for Prometheus's own use.
        return name.StartsWith("__", StringComparison.Ordinal) ? name.TrimStart('_') is { Length: > 0 } trimmed ? "_" + trimmed : "_" : name;
    }

    /// <summary>Replaces every character outside <c>[a-zA-Z0-9_]</c> with <c>_</c> (runs collapsed), never starting with a digit.</summary>
    /// <param name="text">The text.</param>
    /// <returns>A valid name.</returns>
    public static string Sanitize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 1);
        if (text.Length == 0 || char.IsAsciiDigit(text[0]))
        {
            builder.Append('_');
        }

        foreach (var c in text)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == '_';
            if (valid)
            {
                builder.Append(c);
            }
            else if (builder.Length == 0 || builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Help text that is valid in both exposition formats: the 0.0.4 format escapes backslash and newline, OpenMetrics
    /// also the double quote, and prometheus-net writes help as given; so none of the three is left in.
    /// </summary>
    /// <param name="text">An instrument's description.</param>
    /// <returns>The help text.</returns>
    public static string Help(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace('\\', '/').Replace('"', '\'').Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
    }

    /// <summary>
    /// What a measurement in the instrument's unit is multiplied by to be in the Prometheus base unit: durations in
    /// milliseconds or microseconds are exported in seconds, as Prometheus's naming rules ask.
    /// </summary>
    /// <param name="unit">The instrument's unit.</param>
    /// <returns>The factor.</returns>
    public static double Scale(string? unit) => unit switch
    {
        "ms" => 1e-3,
        "us" or "\u00b5s" => 1e-6,
        _ => 1,
    };

    private static string? UnitSuffix(string? unit) => unit switch
    {
        "s" or "ms" or "us" or "\u00b5s" => "_seconds",
        "By" => "_bytes",
        _ => null,
    };
}
