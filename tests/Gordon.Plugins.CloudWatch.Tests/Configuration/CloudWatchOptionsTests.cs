using Gordon.Abstractions.Configuration;
using Gordon.Plugins.CloudWatch.Configuration;
using Gordon.Plugins.CloudWatch.Tests.Support;

namespace Gordon.Plugins.CloudWatch.Tests.Configuration;

public sealed class CloudWatchOptionsTests
{
    [Test]
    public void Defaults_AreKarrotsNamespaceAndTheDocumentedValues()
    {
        var section = Section([]);

        var options = CloudWatchOptions.Read(section, "/etc/gordon");

        Assert.That(section.Problems, Is.Empty);
        Assert.That(section.FindUnknownKeys(), Is.Empty);
        Assert.That(options.Mode, Is.EqualTo(PublishMode.Api));
        Assert.That(options.Naming, Is.EqualTo(NamingMode.Dimensions));
        Assert.That(options.Namespace, Is.EqualTo("GumGum/Kafka/Burrow/ConsumerLag"));
        Assert.That(options.Metrics, Is.EqualTo(new[] { "TotalLag", "MaxLag", "PartitionCount", "StatusCode" }));
        Assert.That(options.FlushInterval, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(options.MaxBuffered, Is.EqualTo(100_000));
        Assert.That(options.Overflow, Is.EqualTo(OverflowPolicy.DropOldest));
        Assert.That(options.PartitionLag, Is.False);
        Assert.That(options.EmfOutput, Is.EqualTo("stdout"));
    }

    [TestCase("namespace", "AWS/Kafka", "not starting with \"AWS/\"")]
    [TestCase("region", "Mars", "AWS region")]
    [TestCase("role_arn", "gordon", "IAM role ARN")]
    [TestCase("naming", "flat", "\"dimensions\", \"karrot\"")]
    [TestCase("mode", "push", "\"api\", \"emf\"")]
    [TestCase("overflow", "block", "\"drop_oldest\", \"drop_newest\", \"reject\"")]
    [TestCase("flush_interval", "0s", "a duration")]
    [TestCase("endpoint_url", "monitoring.local", "URL")]
    public void BadValue_IsReportedNamingTheKey(string key, string value, string expected)
    {
        var section = Section(new Dictionary<string, object> { [key] = value });

        CloudWatchOptions.Read(section, "/etc/gordon");

        var problem = section.Problems.Single();
        Assert.That(problem.ToString(), Does.Contain("cloudwatch." + key).And.Contain(expected));
    }

    [Test]
    public void UnknownMetric_IsReported()
    {
        var section = Section(new Dictionary<string, object> { ["metrics"] = new[] { "TotalLag", "Lag" } });

        CloudWatchOptions.Read(section, "/etc/gordon");

        Assert.That(section.Problems.Single().ToString(), Does.Contain("unknown metric \"Lag\""));
    }

    [Test]
    public void BackoffMaxBelowInitial_IsReported()
    {
        var section = Section(new Dictionary<string, object> { ["backoff_initial"] = "10s", ["backoff_max"] = "1s" });

        CloudWatchOptions.Read(section, "/etc/gordon");

        Assert.That(section.Problems.Single().ToString(), Does.Contain("cloudwatch.backoff_max"));
    }

    [Test]
    public void RelativeEmfOutput_ResolvesAgainstTheConfigRoot_AndUnknownKeysAreFound()
    {
        var section = Section(new Dictionary<string, object> { ["emf_output"] = "logs/emf.log", ["flush_intervall"] = "5s" });

        var options = CloudWatchOptions.Read(section, "/etc/gordon");

        Assert.That(options.EmfOutput, Is.EqualTo("/etc/gordon/logs/emf.log"));
        Assert.That(section.FindUnknownKeys().Single().ToString(), Does.Contain("cloudwatch.flush_intervall"));
    }

    private static ConfigSection Section(Dictionary<string, object> values) => new(PluginHarness.Table("cloudwatch", values));
}
