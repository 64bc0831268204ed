using System.Diagnostics;
using Gordon.Plugins.Prometheus.Daemon;
using Gordon.Plugins.Prometheus.Tests.Support;

namespace Gordon.Plugins.Prometheus.Tests.Daemon;

/// <summary>
/// The daemon's own metrics: what the core records through the relay's meter (recorded here with the core's names and
/// tags on a real <see cref="System.Diagnostics.Metrics.Meter"/>), ASP.NET Core's HTTP metrics, and process and runtime metrics.
/// </summary>
[TestFixture]
public sealed class DaemonMetricsTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task RouterMetrics_AreExportedWithStableGordonNames(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false)), null, cancellationToken);

        host.Relay.Increment("router-message-consumed", 3, default);
        host.Relay.Increment("router-message-done", 2, default);
        host.Relay.Increment("router-update-message-phase", 2, new TagList { { "current", "consume" }, { "next", "enrich" } });
        host.Relay.Set("router-queue-depth", 7, new TagList { { "phase", "publish" } });
        host.Relay.Set("router-messages-in-flight", 1, default);
        host.Relay.Record("router-handler-duration", 0.0002, new TagList { { "plugin", "storage" }, { "phase", "publish" } });
        host.Relay.Record("router-handler-duration", 0.3, new TagList { { "plugin", "storage" }, { "phase", "publish" } });
        using (host.Relay.Timer("router-message-flight-duration", default))
        {
        }

        var scrape = await host.ScrapeAsync();
        (string, string)[] storage = [("plugin", "storage"), ("phase", "publish")];
        Assert.Multiple(() =>
        {
            Assert.That(scrape.Families["gordon_router_message_consumed_total"].Type, Is.EqualTo("counter"));
            Assert.That(scrape.Value("gordon_router_message_consumed_total"), Is.EqualTo(3));
            Assert.That(scrape.Value("gordon_router_message_done_total"), Is.EqualTo(2));
            Assert.That(scrape.Value("gordon_router_update_message_phase_total", ("current", "consume"), ("next", "enrich")), Is.EqualTo(2));
            Assert.That(scrape.Families["gordon_router_queue_depth"].Type, Is.EqualTo("gauge"));
            Assert.That(scrape.Value("gordon_router_queue_depth", ("phase", "publish")), Is.EqualTo(7));
            Assert.That(scrape.Value("gordon_router_messages_in_flight"), Is.EqualTo(1));
            Assert.That(scrape.Families["gordon_router_handler_duration_seconds"].Type, Is.EqualTo("histogram"));
            Assert.That(scrape.Value("gordon_router_handler_duration_seconds_count", storage), Is.EqualTo(2));
            Assert.That(scrape.Value("gordon_router_handler_duration_seconds_sum", storage), Is.EqualTo(0.3002).Within(1e-9));
            Assert.That(scrape.Value("gordon_router_handler_duration_seconds_bucket", [.. storage, ("le", "0.00025")]), Is.EqualTo(1), "microsecond buckets");
            Assert.That(scrape.Value("gordon_router_message_flight_duration_seconds_count"), Is.EqualTo(1));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task HttpServerMetrics_CountRequestsByRouteAndStatus(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false)), null, cancellationToken);
        using (await host.GetAsync("metrics"))
        using (await host.GetAsync("no-such-page"))
        {
        }

        var scrape = await host.ScrapeAsync();

        var metrics = scrape.Find("gordon_http_server_request_duration_seconds_count", ("http_route", "/metrics"), ("http_response_status_code", "200"), ("http_request_method", "GET"));
        var missing = scrape.Named("gordon_http_server_request_duration_seconds_count").Where(s => s.Labels["http_response_status_code"] == "404").ToList();
        Assert.That(metrics?.Value, Is.GreaterThanOrEqualTo(1));
        Assert.That(missing, Is.Not.Empty);
        Assert.That(scrape.Families.ContainsKey("gordon_http_server_active_requests"), Is.True);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ProcessAndRuntimeMetrics_AreExported(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(), null, cancellationToken);
        GC.Collect();

        var scrape = await host.ScrapeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(scrape.Value("process_cpu_seconds_total"), Is.GreaterThan(0));
            Assert.That(scrape.Value("process_start_time_seconds"), Is.GreaterThan(1_600_000_000));
            Assert.That(scrape.Families["dotnet_gc_collections_total"].Type, Is.EqualTo("counter"));
            Assert.That(scrape.Named("dotnet_gc_collections_total").Sum(s => s.Value), Is.GreaterThanOrEqualTo(1));
            Assert.That(scrape.Value("dotnet_process_cpu_time_seconds_total", ("cpu_mode", "user")), Is.GreaterThan(0));
            Assert.That(scrape.Families.ContainsKey("dotnet_timer_count_value"), Is.True, "a gauge named like a count gets _value");
            Assert.That(scrape.Families["dotnet_thread_pool_queue_length"].Type, Is.EqualTo("gauge"), "declared a counter by the runtime, but it goes down");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task RuntimeAndDaemonMetricsOff_LeaveOnlyLagAndKarrotSeries(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false), ("daemon_metrics", false)), null, cancellationToken);
        host.Relay.Increment("router-message-consumed", 3, default);
        host.Relay.HandlerCall("prometheus", "publish");
        using (await host.GetAsync("metrics"))
        {
        }

        var scrape = await host.ScrapeAsync();

        Assert.That(
            scrape.Families.Keys.Where(k => !k.StartsWith("karrot_", StringComparison.Ordinal) && !k.StartsWith("burrow_", StringComparison.Ordinal) && !k.StartsWith("gordon_prometheus_", StringComparison.Ordinal)),
            Is.Empty);
        Assert.That(scrape.Value("karrot_reporter_events_count_total", ("reporter", "prometheus")), Is.EqualTo(1), "Karrot's counters follow karrot_names");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task KarrotEventsCount_CountsOnePerEventPerPublishHandler(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false)), null, cancellationToken);

        // Two events through a route with one enricher and two publishers, as the router records them.
        for (var i = 0; i < 2; i++)
        {
            host.Relay.HandlerCall("lag-enricher", "enrich");
            host.Relay.HandlerCall("prometheus", "publish");
            host.Relay.HandlerCall("cloudwatch", "publish");
        }

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Value("karrot_reporter_events_count_total", ("reporter", "prometheus")), Is.EqualTo(2), "not Karrot's double count");
        Assert.That(scrape.Value("karrot_reporter_events_count_total", ("reporter", "cloudwatch")), Is.EqualTo(2));
        Assert.That(scrape.Find("karrot_reporter_events_count_total", ("reporter", "lag-enricher")), Is.Null, "an enricher is not a reporter");
        Assert.That(scrape.Families["karrot_reporter_events_count_total"].Help, Is.EqualTo("Number of events processed by the reporter"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task KarrotEventsCount_LeavesOutFailedAndRetriedAttempts(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false)), null, cancellationToken);
        var tags = new TagList { { "plugin", "cloudwatch" }, { "phase", "publish" } };

        // Event 1: fails, is retried, succeeds. Event 2: fails twice for good. Event 3: succeeds. The router records a
        // duration for each of the five attempts.
        host.Relay.HandlerCall("cloudwatch", "publish");
        host.Relay.Increment("router-handler-retried", 1, tags);
        host.Relay.HandlerCall("cloudwatch", "publish");
        host.Relay.HandlerCall("cloudwatch", "publish");
        host.Relay.Increment("router-handler-retried", 1, tags);
        host.Relay.HandlerCall("cloudwatch", "publish");
        host.Relay.Increment("router-handler-failed", 1, tags);
        host.Relay.HandlerCall("cloudwatch", "publish");

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Value("karrot_reporter_events_count_total", ("reporter", "cloudwatch")), Is.EqualTo(2));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task KarrotEventsCount_ReadsTheRoutersHandledCounter_WhenTheCoreRecordsOne(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false)), null, cancellationToken);
        for (var i = 0; i < 7; i++)
        {
            host.Relay.HandlerCall("storage", "publish");
        }

        host.Relay.Increment("router-handler-handled", 5, new TagList { { "plugin", "storage" }, { "phase", "publish" } });

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Value("karrot_reporter_events_count_total", ("reporter", "storage")), Is.EqualTo(5));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task KarrotEventsCount_NeverGoesDown_BetweenAnAttemptAndItsFailureCount(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false)), null, cancellationToken);
        host.Relay.HandlerCall("cloudwatch", "publish");

        // A scrape lands between the failed attempt's duration and its retried count.
        host.Relay.HandlerCall("cloudwatch", "publish");
        var between = await host.ScrapeAsync();
        host.Relay.Increment("router-handler-retried", 1, new TagList { { "plugin", "cloudwatch" }, { "phase", "publish" } });
        var after = await host.ScrapeAsync();
        host.Relay.HandlerCall("cloudwatch", "publish");
        host.Relay.HandlerCall("cloudwatch", "publish");
        var later = await host.ScrapeAsync();

        Assert.That(between.Value("karrot_reporter_events_count_total", ("reporter", "cloudwatch")), Is.EqualTo(2));
        Assert.That(after.Value("karrot_reporter_events_count_total", ("reporter", "cloudwatch")), Is.EqualTo(2), "a counter never goes down");
        Assert.That(later.Value("karrot_reporter_events_count_total", ("reporter", "cloudwatch")), Is.EqualTo(3), "exact again");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task KarrotCloudWatchApiCount_MapsTheCloudWatchPluginsCalls(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false)), null, cancellationToken);
        foreach (var status in new[] { "200", "200", "500", "error", "403" })
        {
            host.Relay.Increment("cloudwatch-api-calls", 1, new TagList { { "reporter", "cloudwatch" }, { "status", status } });
        }

        var scrape = await host.ScrapeAsync();
        Assert.Multiple(() =>
        {
            Assert.That(scrape.Value("karrot_reporter_cloudwatch_api_count_total", ("reporter", "cloudwatch"), ("status", "success")), Is.EqualTo(2));
            Assert.That(scrape.Value("karrot_reporter_cloudwatch_api_count_total", ("reporter", "cloudwatch"), ("status", "error")), Is.EqualTo(3));
            Assert.That(scrape.Families["karrot_reporter_cloudwatch_api_count_total"].Help, Is.EqualTo("Number of calls made to Cloudwatch"));
            Assert.That(scrape.Value("gordon_cloudwatch_api_calls_total", ("reporter", "cloudwatch"), ("status", "500")), Is.EqualTo(1), "the HTTP code stays on the gordon_ series");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task InstrumentWithTooManyLabelSets_IsCapped_AndTheRestCounted(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false)), null, cancellationToken);
        var cap = DaemonMetricsBridge.MaxLabelSetsPerInstrument;
        for (var i = 0; i < cap + 10; i++)
        {
            host.Relay.Increment("flood-requests", 1, new TagList { { "client", "c" + i } });
        }

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Named("gordon_flood_requests_total"), Has.Count.EqualTo(cap));
        Assert.That(scrape.Value("gordon_prometheus_series_refused_total", ("kind", "daemon")), Is.EqualTo(10));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task MillisecondInstruments_AreExportedInSeconds_AndTagsMissingLaterAreEmpty(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false)), null, cancellationToken);
        var latency = host.Relay.Meter.CreateHistogram<double>("plugin-call-latency", unit: "ms", description: "A \"plugin's\" call\nlatency \\ ms");

        latency.Record(250, new TagList { { "target", "a" } });
        latency.Record(750, new TagList { { "target", "a" }, { "extra", "dropped" } });
        latency.Record(100);

        var text = await host.ScrapeTextAsync();
        var scrape = Support.Exposition.Parse(text, openMetrics: false);
        Assert.That(scrape.Value("gordon_plugin_call_latency_seconds_sum", ("target", "a")), Is.EqualTo(1.0).Within(1e-9));
        Assert.That(scrape.Value("gordon_plugin_call_latency_seconds_count", ("target", string.Empty)), Is.EqualTo(1));
        Assert.That(scrape.Families["gordon_plugin_call_latency_seconds"].Help, Is.EqualTo("A 'plugin's' call latency / ms"));
        var (exitCode, output) = await Promtool.CheckMetricsAsync(text, cancellationToken);
        Assert.That(output, Does.Not.Contain("plugin_call_latency"), $"promtool exit {exitCode}");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stop_StopsListening_SoLaterMeasurementsAreNotExported(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false)), null, cancellationToken);
        host.Relay.Increment("router-message-consumed", 1, default);
        var before = await host.ScrapeAsync();

        await host.StopPluginAsync();
        host.Relay.Increment("router-message-consumed", 1, default);

        using var stream = new MemoryStream();
        await host.Plugin.Registry.CollectAndExportAsTextAsync(stream, cancellationToken);
        var after = Support.Exposition.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()), openMetrics: false);
        Assert.That(before.Value("gordon_router_message_consumed_total"), Is.EqualTo(1));
        Assert.That(after.Value("gordon_router_message_consumed_total"), Is.EqualTo(1));
    }
}
