using System.Net;
using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.Prometheus.Configuration;

/// <summary>The <c>[prometheus]</c> table, read once in the plugin's constructor; bad values are recorded as config problems.</summary>
internal sealed class PrometheusOptions
{
    /// <summary>The default <see cref="MaxSeries"/>.</summary>
    public const int DefaultMaxSeries = 100_000;

    /// <summary>The default <see cref="SeriesTtl"/>.</summary>
    public static readonly TimeSpan DefaultSeriesTtl = TimeSpan.FromMinutes(10);

    /// <summary>The path <c>/metrics</c> is served on.</summary>
    public string Path { get; init; } = "/metrics";

    /// <summary>A listener of the plugin's own; null to serve on the daemon's HTTP server.</summary>
    public IPEndPoint? Listen { get; init; }

    /// <summary>True when <see cref="Listen"/> was written as <c>localhost:port</c> (both loopback families).</summary>
    public bool ListenOnLocalhost { get; init; }

    /// <summary>Karrot's series (<c>karrot_consumer_lag</c>, <c>karrot_reporter_*</c>).</summary>
    public bool KarrotNames { get; init; } = true;

    /// <summary>Burrow's exporter series (<c>burrow_kafka_*</c>) and the per-group extras.</summary>
    public bool BurrowNames { get; init; } = true;

    /// <summary>Series of a group (or partition) not reported for this long are removed; zero keeps them forever.</summary>
    public TimeSpan SeriesTtl { get; init; } = DefaultSeriesTtl;

    /// <summary>The most consumer groups plus partitions tracked at once.</summary>
    public int MaxSeries { get; init; } = DefaultMaxSeries;

    /// <summary>Whether the daemon's own metrics (router, HTTP, plugins) are exported as <c>gordon_*</c>.</summary>
    public bool DaemonMetrics { get; init; } = true;

    /// <summary>Whether process and .NET runtime metrics are exported.</summary>
    public bool RuntimeMetrics { get; init; } = true;

    /// <summary>Whether a scraper that asks for OpenMetrics gets it.</summary>
    public bool OpenMetrics { get; init; } = true;

    /// <summary>Whether a scraper that accepts gzip (Prometheus does) gets the exposition gzip-compressed.</summary>
    public bool Gzip { get; init; } = true;

    /// <summary>The Pushgateway to push to; null disables push mode.</summary>
    public Uri? PushUrl { get; init; }

    /// <summary>How often to push.</summary>
    public TimeSpan PushInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The <c>job</c> label of pushed metrics.</summary>
    public string PushJob { get; init; } = "gordon";

    /// <summary>The <c>instance</c> label of pushed metrics.</summary>
    public string PushInstance { get; init; } = string.Empty;

    /// <summary>Reads the table; every bad value is recorded on <paramref name="config"/> and replaced by its default.</summary>
    /// <param name="config">The plugin's config reader.</param>
    /// <param name="hostName">The default <c>push_instance</c>.</param>
    /// <returns>The options.</returns>
    public static PrometheusOptions Read(ConfigSection config, string hostName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var path = config.GetString("path", "/metrics");
        if (path.Length < 2 || path[0] != '/' || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal) || path.Contains('{', StringComparison.Ordinal))
        {
            config.AddProblem("path", $"expected an absolute URL path such as \"/metrics\" (no query, fragment or route parameters), got \"{path}\"");
            path = "/metrics";
        }

        IPEndPoint? listen = null;
        var localhost = false;
        if (config.GetOptionalString("listen") is { Length: > 0 } listenText)
        {
            if (ListenAddressParser.TryParse(listenText, out var endPoint, out localhost, out var error))
            {
                listen = endPoint;
                if (!localhost && !IPAddress.IsLoopback(endPoint.Address))
                {
                    // The core's bearer token does not guard this listener: whoever reaches the address reads every
                    // group name and lag.
                    config.AddWarning("listen", $"serves /metrics on {listenText} without authentication; bind it to a private or loopback address");
                }
            }
            else
            {
                config.AddProblem("listen", error);
            }
        }

        var pushUrl = config.GetUri("push_url", null, "http", "https");
        var job = config.GetString("push_job", "gordon");
        if (job.Length == 0)
        {
            config.AddProblem("push_job", "expected a non-empty string (the job label of pushed metrics)");
            job = "gordon";
        }

        var instance = config.GetOptionalString("push_instance") ?? hostName;
        return new PrometheusOptions
        {
            Path = path,
            Listen = listen,
            ListenOnLocalhost = localhost,
            KarrotNames = config.GetBoolean("karrot_names", true),
            BurrowNames = config.GetBoolean("burrow_names", true),
            SeriesTtl = config.GetDuration("series_ttl", DefaultSeriesTtl),
            MaxSeries = config.GetInt32("max_series", DefaultMaxSeries, min: 1),
            DaemonMetrics = config.GetBoolean("daemon_metrics", true),
            RuntimeMetrics = config.GetBoolean("runtime_metrics", true),
            OpenMetrics = config.GetBoolean("openmetrics", true),
            Gzip = config.GetBoolean("gzip", true),
            PushUrl = pushUrl,
            PushInterval = config.GetDuration("push_interval", TimeSpan.FromSeconds(15), min: TimeSpan.FromMilliseconds(100)),
            PushJob = job,
            PushInstance = instance,
        };
    }
}
