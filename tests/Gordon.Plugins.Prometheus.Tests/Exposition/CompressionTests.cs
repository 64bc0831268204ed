using System.IO.Compression;
using System.Net;
using System.Text;
using Gordon.Plugins.Prometheus.Tests.Support;

namespace Gordon.Plugins.Prometheus.Tests.Exposition;

/// <summary>The gzip answer to a scraper that accepts it (Prometheus sends <c>Accept-Encoding: gzip</c>).</summary>
[TestFixture]
public sealed class CompressionTests
{
    private const string PrometheusAccept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    [Test]
    [CancelAfter(60_000)]
    public async Task AcceptEncodingGzip_GetsTheSameExpositionGzipped_WhichPromtoolAccepts(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("runtime_metrics", false)), null, cancellationToken);

        // Enough groups for a few hundred KB, so the writer flushes many times through the compressor; names that need
        // escaping, so the cached label bytes go through it too.
        for (var g = 0; g < 600; g++)
        {
            var status = ConsumerStatus.For("prod\"east\\", $"grüße-{g}\n\"x\"").Full().Status("WARN").TotalLag(g);
            for (var p = 0; p < 8; p++)
            {
                status = status.Partition($"tö\"pic-{g % 7}", p, p % 2 == 0 ? "OK" : "WARN", g + p, 1000 + g, 2000 + g);
            }

            await host.HandleAsync(status.Build());
        }

        var (plainEncoding, plain) = await GetAsync(host, PrometheusAccept, acceptEncoding: null, cancellationToken);
        var (gzipEncoding, gzipped) = await GetAsync(host, PrometheusAccept, acceptEncoding: "gzip", cancellationToken);
        var text = Gunzip(gzipped);

        Assert.That(plainEncoding, Is.Empty);
        Assert.That(gzipEncoding, Is.EqualTo(new[] { "gzip" }));
        Assert.That(gzipped, Has.Length.LessThan(plain.Length / 5), "the exposition compresses");
        Assert.That(LagLines(text), Is.EqualTo(LagLines(Encoding.UTF8.GetString(plain))), "the same lag series, line for line");
        Assert.That(LagLines(text), Has.Count.GreaterThan(600 * 8 * 3));
        Assert.That(text, Does.EndWith("# EOF\n"), "the whole OpenMetrics document, to its end");
        var parsed = Support.Exposition.Parse(text, openMetrics: true);
        Assert.That(parsed.Value("burrow_kafka_consumer_partition_lag", ("cluster", "prod\"east\\"), ("consumer_group", "grüße-599\n\"x\""), ("topic", "tö\"pic-4"), ("partition", "7")), Is.EqualTo(606));

        var (_, gzippedText) = await GetAsync(host, accept: null, acceptEncoding: "gzip", cancellationToken);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(Gunzip(gzippedText), cancellationToken);
        var notes = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("burrow_kafka_consumer_lag_total non-counter metrics should not have \"_total\" suffix", StringComparison.Ordinal))
            .ToList();
        Assert.That(notes, Is.Empty, $"promtool (exit {exitCode}) said:\n{output}");
        Assert.That(output, Does.Contain("burrow_kafka_consumer_lag_total"), "the promtool run saw the exposition");
    }

    [TestCase("gzip", true, TestName = "AcceptEncoding_Gzip_IsGzipped")]
    [TestCase("GZIP", true, TestName = "AcceptEncoding_GzipInCapitals_IsGzipped")]
    [TestCase("x-gzip", true, TestName = "AcceptEncoding_XGzip_IsGzipped")]
    [TestCase("br;q=1.0, gzip;q=0.5, deflate", true, TestName = "AcceptEncoding_GzipAmongOthers_IsGzipped")]
    [TestCase("gzip;q=0", false, TestName = "AcceptEncoding_GzipRefused_IsPlain")]
    [TestCase("deflate, br", false, TestName = "AcceptEncoding_OtherCodingsOnly_IsPlain")]
    [TestCase("*", false, TestName = "AcceptEncoding_Star_IsPlain")]
    [TestCase("gzip;q=nonsense;;,", false, TestName = "AcceptEncoding_Garbage_IsPlain")]
    [TestCase(null, false, TestName = "AcceptEncoding_Missing_IsPlain")]
    [CancelAfter(30_000)]
    public async Task AcceptEncoding_ChoosesTheCoding(string? acceptEncoding, bool gzip, CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(), null, cancellationToken);
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        var (encoding, body) = await GetAsync(host, accept: null, acceptEncoding, cancellationToken);
        var text = gzip ? Gunzip(body) : Encoding.UTF8.GetString(body);

        Assert.That(encoding, Is.EqualTo(gzip ? new[] { "gzip" } : Array.Empty<string>()));
        Assert.That(Support.Exposition.Parse(text, openMetrics: false).Value("karrot_consumer_lag", ("consumer", "orders-enricher")), Is.EqualTo(8785));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task GzipOff_AnswersPlainEvenToPrometheus(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(("gzip", false)), null, cancellationToken);

        var (encoding, body) = await GetAsync(host, PrometheusAccept, "gzip", cancellationToken);

        Assert.That(encoding, Is.Empty);
        Assert.That(Encoding.UTF8.GetString(body), Does.EndWith("# EOF\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Gzip_TellsCachesTheAnswerVariesByAcceptEncoding(CancellationToken cancellationToken)
    {
        await using var host = await PluginHost.StartAsync(TestConfig.Prometheus(), null, cancellationToken);

        using var response = await host.GetAsync();

        Assert.That(response.Headers.Vary, Is.EqualTo(new[] { "Accept-Encoding" }));
    }

    private static async Task<(string[] Encoding, byte[] Body)> GetAsync(PluginHost host, string? accept, string? acceptEncoding, CancellationToken cancellationToken)
    {
        // The host's client does not decompress: the body is read as it came.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Address, "metrics"));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        using var response = await host.Client.SendAsync(request, cancellationToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return ([.. response.Content.Headers.ContentEncoding], await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    private static string Gunzip(byte[] body)
    {
        using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    // The lag families' sample lines: deterministic, unlike the plugin's own scrape counters.
    private static List<string> LagLines(string text) =>
        [.. text.Split('\n').Where(line => line.StartsWith("burrow_kafka_", StringComparison.Ordinal) || line.StartsWith("karrot_consumer_lag", StringComparison.Ordinal))];
}
