using System.Net;
using Gordon.Plugins.Prometheus.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Prometheus.Tests.Exposition;

/// <summary>What <c>GET /metrics</c> answers: format, content type, names, help, types, escaping, checked by promtool.</summary>
[TestFixture]
public sealed class ExpositionTests
{
    // What Prometheus 2.42 sends when it scrapes (scrape/scrape.go, acceptHeader).
    private const string PrometheusAccept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";
    private const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    [Test]
    [CancelAfter(30_000)]
    public async Task Metrics_IsServedOnTheDaemonServer_InTextFormat004ByDefault(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(), null, cancellationToken);

        using var response = await host.GetAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo(TextContentType));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
    }

    [TestCase(PrometheusAccept, OpenMetricsContentType, TestName = "Accept_OfPrometheus_GetsOpenMetrics")]
    [TestCase("application/openmetrics-text; version=1.0.0", OpenMetricsContentType, TestName = "Accept_OpenMetricsOnly_GetsOpenMetrics")]
    [TestCase("text/plain;version=0.0.4;q=0.9,application/openmetrics-text;version=1.0.0;q=0.2", TextContentType, TestName = "Accept_PreferringText_GetsText")]
    [TestCase("text/plain", TextContentType, TestName = "Accept_TextPlain_GetsText")]
    [TestCase("*/*", TextContentType, TestName = "Accept_Anything_GetsText")]
    [TestCase("this is; not=a media type,,", TextContentType, TestName = "Accept_Garbage_GetsText")]
    [TestCase(null, TextContentType, TestName = "Accept_Missing_GetsText")]
    [CancelAfter(30_000)]
    public async Task Accept_ChoosesTheFormat(string? accept, string contentType, CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(), null, cancellationToken);
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());
        host.Relay.HandlerCall("prometheus", "publish");

        using var response = await host.GetAsync(accept: accept);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);

        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo(contentType));
        var openMetrics = contentType == OpenMetricsContentType;
        var parsed = Support.Exposition.Parse(body, openMetrics);
        Assert.That(parsed.Value("karrot_consumer_lag", ("consumer", "orders-enricher")), Is.EqualTo(8785));

        // OpenMetrics names a counter's family without _total; its samples keep it.
        Assert.That(parsed.Families.ContainsKey(openMetrics ? "karrot_reporter_events_count" : "karrot_reporter_events_count_total"), Is.True);
        Assert.That(parsed.Value("karrot_reporter_events_count_total", ("reporter", "prometheus")), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task OpenMetricsOff_AnswersTextEvenToPrometheus(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("openmetrics", false)), null, cancellationToken);

        using var response = await host.GetAsync(accept: PrometheusAccept);

        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo(TextContentType));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Exposition_DeclaresTheKnownFamiliesWithTheirTypesAndHelp(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(), new FakeTimeProvider(new DateTimeOffset(2024, 6, 10, 6, 30, 0, TimeSpan.Zero)), cancellationToken);
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());
        host.Relay.HandlerCall("cloudwatch", "publish");
        host.Relay.Increment("cloudwatch-api-calls", 1, new() { { "reporter", "cloudwatch" }, { "status", "200" } });

        var scrape = await host.ScrapeAsync();

        var expected = new Dictionary<string, string>
        {
            ["karrot_consumer_lag"] = "gauge",
            ["karrot_reporter_events_count_total"] = "counter",
            ["karrot_reporter_cloudwatch_api_count_total"] = "counter",
            ["burrow_kafka_consumer_lag_total"] = "gauge",
            ["burrow_kafka_consumer_status"] = "gauge",
            ["burrow_kafka_consumer_partition_lag"] = "gauge",
            ["burrow_kafka_consumer_current_offset"] = "gauge",
            ["burrow_kafka_consumer_max_lag"] = "gauge",
            ["burrow_kafka_topic_partition_status"] = "gauge",
            ["burrow_kafka_consumer_partitions"] = "gauge",
            ["burrow_kafka_consumer_complete"] = "gauge",
            ["burrow_kafka_consumer_last_event_timestamp_seconds"] = "gauge",
            ["burrow_kafka_consumer_incident_open"] = "gauge",
            ["burrow_kafka_consumer_incident_duration_seconds"] = "gauge",
            ["gordon_prometheus_tracked"] = "gauge",
            ["gordon_prometheus_series_refused_total"] = "counter",
            ["process_cpu_seconds_total"] = "counter",
        };
        Assert.Multiple(() =>
        {
            foreach (var (name, type) in expected)
            {
                Assert.That(scrape.Families.TryGetValue(name, out var family), Is.True, name);
                Assert.That(family?.Type, Is.EqualTo(type), name);
                Assert.That(family?.Help, Is.Not.Empty, name);
            }

            Assert.That(scrape.Families.Values.Where(f => f.Help.Length == 0).Select(f => f.Name), Is.Empty, "every family has help");
            Assert.That(scrape.Families["burrow_kafka_consumer_lag_total"].Help, Is.EqualTo("The sum of all partition current lag values for the group"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task LabelValues_WithQuotesBackslashesNewlinesAndNonAscii_AreEscapedAndReadBackExactly(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false)), null, cancellationToken);
        string[] groups = ["say \"hi\"", "C:\\consumers\\orders", "two\nlines", "grüße-日本-🚀", "tab\tand\rreturn", "trailing\\"];
        foreach (var group in groups)
        {
            await host.HandleAsync(ConsumerStatus.For("prod\"east\\", group).Status("OK").TotalLag(group.Length).Partition("tö\"pic\n", 0, "OK", 1).Build());
        }

        var text = await host.ScrapeTextAsync();
        var scrape = Support.Exposition.Parse(text, openMetrics: false);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("consumer=\"say \\\"hi\\\"\""));
            Assert.That(text, Does.Contain("consumer=\"C:\\\\consumers\\\\orders\""));
            Assert.That(text, Does.Contain("consumer=\"two\\nlines\""));
            Assert.That(text, Does.Contain("consumer=\"grüße-日本-🚀\""), "UTF-8, not escaped");
            foreach (var group in groups)
            {
                Assert.That(scrape.Value("karrot_consumer_lag", ("cluster", "prod\"east\\"), ("consumer", group)), Is.EqualTo(group.Length), group);
                Assert.That(scrape.Find("burrow_kafka_consumer_partition_lag", ("consumer_group", group), ("topic", "tö\"pic\n")), Is.Not.Null, group);
            }
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task GroupNamesDifferingOnlyInUnpairedSurrogates_AreOneSeries_NotDuplicates(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false)), null, cancellationToken);

        // Both encode to "x\uFFFD" in UTF-8: two series would be a duplicate Prometheus rejects.
        await host.HandleAsync(ConsumerStatus.For("c", "x\uD800").Status("OK").TotalLag(1).Build());
        await host.HandleAsync(ConsumerStatus.For("c", "x\uDC00").Status("OK").TotalLag(2).Build());

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Named("karrot_consumer_lag").Single().Labels["consumer"], Is.EqualTo("x\uFFFD"));
        Assert.That(scrape.Value("karrot_consumer_lag", ("consumer", "x\uFFFD")), Is.EqualTo(2));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task PromtoolCheckMetrics_AcceptsTheWholeExposition_BesidesBurrowsTotalGaugeName(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(), null, cancellationToken);
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());
        await host.HandleAsync(ConsumerStatus.For("prod\"east", "grüße\n\\x").Full().Status("OK").TotalLag(1).Partition("t", 0, "OK", 1, 1, 2).Build());
        host.Relay.HandlerCall("prometheus", "publish");
        host.Relay.Increment("router-message-consumed", 1, default);
        host.Relay.Set("router-queue-depth", 3, new() { { "phase", "publish" } });
        host.Relay.Increment("cloudwatch-api-calls", 1, new() { { "reporter", "cloudwatch" }, { "status", "500" } });
        _ = await host.ScrapeTextAsync();

        var text = await host.ScrapeTextAsync();
        var (exitCode, output) = await Promtool.CheckMetricsAsync(text, cancellationToken);

        // The documented exception: Burrow's exporter names a gauge burrow_kafka_consumer_lag_total.
        var notes = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("burrow_kafka_consumer_lag_total non-counter metrics should not have \"_total\" suffix", StringComparison.Ordinal))
            .ToList();
        Assert.That(notes, Is.Empty, $"promtool (exit {exitCode}) said:\n{output}");
        Assert.That(output, Does.Contain("burrow_kafka_consumer_lag_total"), "the promtool run saw the exposition");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Path_IsConfigurable(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("path", "/internal/prom")), null, cancellationToken);

        using var moved = await host.GetAsync("internal/prom");
        using var old = await host.GetAsync("metrics");

        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(old.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Listen_ServesMetricsOnAPortOfItsOwn_AndNotOnTheDaemonServer(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("listen", "127.0.0.1:0")), null, cancellationToken);
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        using var own = await host.GetAsync(baseAddress: host.Plugin.ListenerAddress);
        using var daemon = await host.GetAsync();
        var parsed = Support.Exposition.Parse(await own.Content.ReadAsStringAsync(cancellationToken), openMetrics: false);

        Assert.That(host.Plugin.ListenerAddress!.Port, Is.Not.EqualTo(host.Address.Port));
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(parsed.Value("karrot_consumer_lag", ("consumer", "orders-enricher")), Is.EqualTo(8785));
        Assert.That(daemon.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stop_ClosesTheOwnListener(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("listen", "127.0.0.1:0")), null, cancellationToken);
        var address = host.Plugin.ListenerAddress!;

        await host.StopPluginAsync();

        Assert.That(async () => await host.GetAsync(baseAddress: address), Throws.InstanceOf<HttpRequestException>());
    }
}
