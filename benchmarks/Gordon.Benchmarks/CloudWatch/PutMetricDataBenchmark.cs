using Amazon.Runtime;
using BenchmarkDotNet.Attributes;
using Gordon.Plugins.CloudWatch.Api;
using Gordon.Plugins.CloudWatch.Datums;

namespace Gordon.Benchmarks.CloudWatch;

/// <summary>
/// The CloudWatch plugin's send path for one full request: 1,000 datums (four metrics of 250 groups, two dimensions
/// each) encoded as a PutMetricData form body within the limits and signed with SigV4. The baseline builds the same
/// form with the framework's <see cref="FormUrlEncodedContent"/> (no limit checks) and signs it the same way.
/// </summary>
[MemoryDiagnoser]
public class PutMetricDataBenchmark
{
    private static readonly ImmutableCredentials Credentials = new("AKIDBENCH", "bench/secret", null);
    private static readonly Uri Endpoint = new("https://monitoring.us-east-1.amazonaws.com/");
    private static readonly DateTimeOffset At = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> ContentType = new() { ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8" };
    private List<MetricDatum> _datums = null!;

    public const int Datums = 1000;

    [GlobalSetup]
    public void Setup()
    {
        string[] metrics = ["TotalLag", "MaxLag", "PartitionCount", "StatusCode"];
        _datums = [.. Enumerable.Range(0, Datums).Select(i => new MetricDatum(
            metrics[i % 4],
            [new Dimension("Cluster", "prod-eu-west-1"), new Dimension("ConsumerGroup", "consumer-group-" + (i / 4))],
            i * 17,
            "Count",
            At))];
    }

    [Benchmark]
    public int EncodeAndSign()
    {
        var batches = PutMetricDataEncoder.Split("GumGum/Kafka/Burrow/ConsumerLag", _datums);
        var total = 0;
        foreach (var batch in batches)
        {
            total += AwsRequestSigner.Sign("POST", Endpoint, ContentType, batch.Body, Credentials, "us-east-1", "monitoring", At).Count;
        }

        return total;
    }

    [Benchmark(Baseline = true)]
    public async Task<int> FormUrlEncodedContentAndSign()
    {
        var fields = new List<KeyValuePair<string, string>>(Datums * 9)
        {
            new("Action", "PutMetricData"),
            new("Version", "2010-08-01"),
            new("Namespace", "GumGum/Kafka/Burrow/ConsumerLag"),
        };
        for (var i = 0; i < _datums.Count; i++)
        {
            var d = _datums[i];
            var p = "MetricData.member." + (i + 1) + ".";
            fields.Add(new(p + "MetricName", d.MetricName));
            for (var j = 0; j < d.Dimensions.Count; j++)
            {
                fields.Add(new(p + "Dimensions.member." + (j + 1) + ".Name", d.Dimensions[j].Name));
                fields.Add(new(p + "Dimensions.member." + (j + 1) + ".Value", d.Dimensions[j].Value));
            }

            fields.Add(new(p + "Timestamp", PutMetricDataEncoder.FormatTimestamp(d.Timestamp)));
            fields.Add(new(p + "Value", d.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            fields.Add(new(p + "Unit", d.Unit!));
        }

        using var content = new FormUrlEncodedContent(fields);
        var body = await content.ReadAsByteArrayAsync();
        return AwsRequestSigner.Sign("POST", Endpoint, ContentType, body, Credentials, "us-east-1", "monitoring", At).Count;
    }
}
