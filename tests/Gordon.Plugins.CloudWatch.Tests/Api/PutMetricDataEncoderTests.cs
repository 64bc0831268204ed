using System.Text;
using Gordon.Plugins.CloudWatch.Api;
using Gordon.Plugins.CloudWatch.Datums;

namespace Gordon.Plugins.CloudWatch.Tests.Api;

public sealed class PutMetricDataEncoderTests
{
    private static readonly DateTimeOffset At = new(2025, 6, 1, 12, 0, 0, 123, TimeSpan.Zero);

    [Test]
    public void Split_2500Datums_ThreeRequestsOfAtMost1000()
    {
        var datums = Enumerable.Range(0, 2500).Select(i => Datum("TotalLag", i)).ToList();

        var batches = PutMetricDataEncoder.Split("NS", datums);

        Assert.That(batches.Select(b => b.Datums.Count), Is.EqualTo(new[] { 1000, 1000, 500 }));
        Assert.That(batches.SelectMany(b => b.Datums), Is.EqualTo(datums), "every datum once, in order");
        Assert.That(batches.Select(b => b.Body.Length), Has.All.LessThanOrEqualTo(PutMetricDataEncoder.MaxBodyBytes));
    }

    [Test]
    public void Split_LargeDatums_CutsByBodySizeBeforeTheDatumLimit()
    {
        // Each datum carries ~30 KB of dimension values, so about 33 fit in 1 MB.
        var big = new string('x', 1000);
        var datums = Enumerable.Range(0, 100)
            .Select(i => new MetricDatum("M", [.. Enumerable.Range(0, 30).Select(d => new Dimension("D" + d, big))], i, "Count", At))
            .ToList();

        var batches = PutMetricDataEncoder.Split("NS", datums);

        Assert.That(batches, Has.Count.GreaterThan(2));
        Assert.That(batches.Select(b => b.Body.Length), Has.All.LessThanOrEqualTo(PutMetricDataEncoder.MaxBodyBytes));
        Assert.That(batches.Sum(b => b.Datums.Count), Is.EqualTo(100));
        // Each request but the last is full: one more datum would have broken the limit.
        Assert.That(batches[0].Body.Length + 30_000, Is.GreaterThan(PutMetricDataEncoder.MaxBodyBytes));
    }

    [Test]
    public void Split_DatumLargerThanARequest_IsSetAsideAlone()
    {
        var tooLarge = new List<MetricDatum>();
        var huge = new MetricDatum("Huge", [new Dimension("D", new string('y', 5000))], 1, null, At);

        var batches = PutMetricDataEncoder.Split("NS", [Datum("A", 1), huge, Datum("B", 2)], tooLarge, maxBodyBytes: 4000);

        Assert.That(tooLarge, Is.EqualTo(new[] { huge }));
        Assert.That(batches.SelectMany(b => b.Datums).Select(d => d.MetricName), Is.EqualTo(new[] { "A", "B" }));
    }

    [Test]
    public void Split_EncodesTheQueryProtocolForm()
    {
        var datum = new MetricDatum("Total Lag", [new Dimension("Cluster", "a&b=c"), new Dimension("ConsumerGroup", "grüße \"q\"")], 1e20, "Count", At, 1);

        var body = Encoding.ASCII.GetString(PutMetricDataEncoder.Split("GumGum/Kafka", [datum])[0].Body);

        Assert.That(body, Is.EqualTo(
            "Action=PutMetricData&Version=2010-08-01&Namespace=GumGum%2FKafka"
            + "&MetricData.member.1.MetricName=Total%20Lag"
            + "&MetricData.member.1.Dimensions.member.1.Name=Cluster&MetricData.member.1.Dimensions.member.1.Value=a%26b%3Dc"
            + "&MetricData.member.1.Dimensions.member.2.Name=ConsumerGroup&MetricData.member.1.Dimensions.member.2.Value=gr%C3%BC%C3%9Fe%20%22q%22"
            + "&MetricData.member.1.Timestamp=2025-06-01T12:00:00.123Z&MetricData.member.1.Value=1E%2B20"
            + "&MetricData.member.1.Unit=Count&MetricData.member.1.StorageResolution=1"));
    }

    [Test]
    public void Split_NoUnit_OmitsTheUnit()
    {
        var body = Encoding.ASCII.GetString(PutMetricDataEncoder.Split("NS", [new MetricDatum("g", [], 5, null, At)])[0].Body);

        Assert.That(body, Does.Not.Contain("Unit"));
        Assert.That(body, Does.Not.Contain("Dimensions"));
    }

    private static MetricDatum Datum(string name, double value) =>
        new(name, [new Dimension("Cluster", "c"), new Dimension("ConsumerGroup", "g" + value)], value, "Count", At);
}
