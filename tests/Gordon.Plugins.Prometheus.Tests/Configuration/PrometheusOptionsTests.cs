using Gordon.Abstractions.Configuration;
using Gordon.Plugins.Prometheus.Configuration;
using Gordon.Plugins.Prometheus.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Plugins.Prometheus.Tests.Configuration;

/// <summary>The <c>[prometheus]</c> table: defaults, and every bad value reported naming its key.</summary>
[TestFixture]
public sealed class PrometheusOptionsTests
{
    [Test]
    public void EmptyTable_GivesTheDocumentedDefaults()
    {
        var config = TestConfig.Prometheus();

        var options = PrometheusOptions.Read(config, "host-1");

        Assert.Multiple(() =>
        {
            Assert.That(config.Problems, Is.Empty);
            Assert.That(options.Path, Is.EqualTo("/metrics"));
            Assert.That(options.Listen, Is.Null);
            Assert.That(options.KarrotNames, Is.True);
            Assert.That(options.BurrowNames, Is.True);
            Assert.That(options.SeriesTtl, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(options.MaxSeries, Is.EqualTo(100_000));
            Assert.That(options.DaemonMetrics, Is.True);
            Assert.That(options.RuntimeMetrics, Is.True);
            Assert.That(options.OpenMetrics, Is.True);
            Assert.That(options.PushUrl, Is.Null);
            Assert.That(options.PushInterval, Is.EqualTo(TimeSpan.FromSeconds(15)));
            Assert.That(options.PushJob, Is.EqualTo("gordon"));
            Assert.That(options.PushInstance, Is.EqualTo("host-1"));
        });
    }

    [TestCase("path", "metrics", "an absolute URL path")]
    [TestCase("path", "/metrics?x=1", "an absolute URL path")]
    [TestCase("listen", "somewhere", "host:port")]
    [TestCase("listen", "example.com:9464", "an IP address, \"localhost\" or \"*\"")]
    [TestCase("listen", "127.0.0.1:70000", "host:port")]
    [TestCase("max_series", 0L, "an integer from 1")]
    [TestCase("max_series", "many", "an integer")]
    [TestCase("series_ttl", "soon", "a duration")]
    [TestCase("push_url", "ftp://gateway:9091", "an absolute http or https URL")]
    [TestCase("push_url", "gateway:9091", "an absolute http or https URL")]
    [TestCase("push_interval", "10ms", "a duration")]
    [TestCase("push_job", "", "non-empty")]
    [TestCase("karrot_names", "yes", "true or false")]
    [TestCase("burrow_names", 1L, "true or false")]
    [TestCase("daemon_metrics", "on", "true or false")]
    [TestCase("runtime_metrics", "off", "true or false")]
    [TestCase("openmetrics", 0L, "true or false")]
    public void BadValue_IsReportedNamingTheKeyAndWhatWasExpected(string key, object value, string expected)
    {
        var config = TestConfig.Prometheus((key, value));

        _ = PrometheusOptions.Read(config, "host-1");

        Assert.That(config.Problems, Has.Count.EqualTo(1));
        Assert.That(config.Problems[0].ToString(), Does.Contain("prometheus." + key).And.Contain(expected));
        Assert.That(config.HasErrors, Is.True);
    }

    [TestCase("127.0.0.1:9464", "127.0.0.1", 9464, false, false)]
    [TestCase("[::1]:9464", "::1", 9464, false, false)]
    [TestCase("http://0.0.0.0:9464/", "0.0.0.0", 9464, false, true)]
    [TestCase("*:9464", "::", 9464, false, true)]
    [TestCase("10.0.0.5:9464", "10.0.0.5", 9464, false, true)]
    [TestCase("localhost:0", "127.0.0.1", 0, true, false)]
    public void Listen_AcceptsTheCoreServersForms_WarningWhenNotLoopback(string text, string address, int port, bool localhost, bool warned)
    {
        var config = TestConfig.Prometheus(("listen", text));

        var options = PrometheusOptions.Read(config, "host-1");

        Assert.That(config.HasErrors, Is.False);
        Assert.That(config.Problems.Select(p => p.ToString()), warned ? Has.One.Contain("prometheus.listen").And.Contain("without authentication") : Is.Empty);
        Assert.That(options.Listen?.Address.ToString(), Is.EqualTo(address));
        Assert.That(options.Listen?.Port, Is.EqualTo(port));
        Assert.That(options.ListenOnLocalhost, Is.EqualTo(localhost));
    }

    [Test]
    public void EveryDocumentedKey_IsRead_SoNoneIsReportedUnknown_AndATypoIs()
    {
        var config = TestConfig.Prometheus(
            ("path", "/metrics"),
            ("listen", "127.0.0.1:9464"),
            ("karrot_names", true),
            ("burrow_names", true),
            ("series_ttl", "10m"),
            ("max_series", 100_000L),
            ("daemon_metrics", true),
            ("runtime_metrics", true),
            ("openmetrics", true),
            ("push_url", "http://127.0.0.1:9091"),
            ("push_interval", "15s"),
            ("push_job", "gordon"),
            ("push_instance", "host-1"),
            ("serie_ttl", "5m"));

        using var relay = new TestMetricRelay();
        _ = new PrometheusPlugin(PluginHost.Context(config, relay, NullLoggerFactory.Instance, TimeProvider.System, Path.GetTempPath()));

        Assert.That(config.HasErrors, Is.False);
        Assert.That(config.FindUnknownKeys(), Has.Count.EqualTo(1));
        Assert.That(config.FindUnknownKeys().Single().ToString(), Does.Contain("prometheus.serie_ttl"));
    }

    [Test]
    public void Constructor_ReportsEveryBadValueAtOnce_WithoutThrowing()
    {
        var config = TestConfig.Prometheus(("path", "x"), ("max_series", -1L), ("push_url", "nope"));
        using var relay = new TestMetricRelay();

        Assert.That(
            () => new PrometheusPlugin(PluginHost.Context(config, relay, NullLoggerFactory.Instance, TimeProvider.System, Path.GetTempPath())),
            Throws.Nothing);
        Assert.That(config.Problems.Select(p => p.ToString()), Has.Some.Contain("prometheus.path").And.Some.Contain("prometheus.max_series").And.Some.Contain("prometheus.push_url"));
    }

    [Test]
    public void ProblemsCarryTheFileAndLine()
    {
        var config = new ConfigSection(new ConfigTable(
            "prometheus", [KeyValuePair.Create("max_series", new ConfigValue(0L, new ConfigLocation("gordon-user.toml", 12, 14)))]));

        _ = PrometheusOptions.Read(config, "h");

        Assert.That(config.Problems.Single().ToString(), Does.Contain("gordon-user.toml:12:14"));
    }
}
