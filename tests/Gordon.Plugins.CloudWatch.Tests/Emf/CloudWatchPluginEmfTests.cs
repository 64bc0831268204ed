using System.Text;
using System.Text.Json;
using Gordon.Plugins.CloudWatch.Datums;
using Gordon.Plugins.CloudWatch.Diagnostics;
using Gordon.Plugins.CloudWatch.Emf;
using Gordon.Plugins.CloudWatch.Tests.Support;

namespace Gordon.Plugins.CloudWatch.Tests.Emf;

/// <summary>mode = "emf": the same metrics as EMF lines on stdout or in a rotated file, no API call.</summary>
public sealed class CloudWatchPluginEmfTests
{
    [Test]
    public async Task Event_BecomesOneEmfDocument_WithTheSpecsRequiredFields()
    {
        using var stdout = new MemoryStream();
        await using var harness = await PluginHarness.CreateAsync(null, new Dictionary<string, object> { ["mode"] = "emf" }, stdout: stdout);
        var at = PluginHarness.Start.AddMilliseconds(-1500);

        await harness.HandleAsync(ConsumerEvents.Status(at, cluster: "prod", group: "billing \"blue\"", totalLag: 601, maxLag: 400, partitions: 3, statusCode: 1));

        var line = Encoding.UTF8.GetString(stdout.ToArray()).TrimEnd('\n').Split('\n').Single();
        var doc = EmfAssert.ValidDocument(line);
        Assert.That(doc.GetProperty("_aws").GetProperty("Timestamp").GetInt64(), Is.EqualTo(at.ToUnixTimeMilliseconds()));
        var directive = doc.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.That(directive.GetProperty("Namespace").GetString(), Is.EqualTo("GumGum/Kafka/Burrow/ConsumerLag"));
        Assert.That(directive.GetProperty("Dimensions").EnumerateArray().Select(s => s.EnumerateArray().Select(n => n.GetString()).ToArray()),
            Is.EqualTo(new[] { new[] { "Cluster", "ConsumerGroup" } }));
        Assert.That(directive.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()),
            Is.EqualTo(new[] { "TotalLag", "MaxLag", "PartitionCount", "StatusCode" }));
        Assert.That(doc.GetProperty("Cluster").GetString(), Is.EqualTo("prod"));
        Assert.That(doc.GetProperty("ConsumerGroup").GetString(), Is.EqualTo("billing \"blue\""));
        Assert.That(doc.GetProperty("TotalLag").GetDouble(), Is.EqualTo(601));
        Assert.That(doc.GetProperty("MaxLag").GetDouble(), Is.EqualTo(400));
        Assert.That(harness.Metrics.Sum(PluginMetrics.DatumsSent), Is.EqualTo(4));
        Assert.That(harness.Metrics.Sum(PluginMetrics.ApiCalls), Is.Zero, "no API in emf mode");
    }

    [Test]
    public async Task PartitionLag_GoesInItsOwnDocuments_WithTopicAndPartitionDimensions()
    {
        using var stdout = new MemoryStream();
        await using var harness = await PluginHarness.CreateAsync(null, new Dictionary<string, object>
        {
            ["mode"] = "emf",
            ["partition_lag"] = true,
            ["high_resolution"] = true,
        }, stdout: stdout);

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, partitionLags: [("orders", 0, 10), ("orders", 1, 20)]));

        var docs = Encoding.UTF8.GetString(stdout.ToArray()).TrimEnd('\n').Split('\n').Select(EmfAssert.ValidDocument).ToList();
        Assert.That(docs, Has.Count.EqualTo(3));
        var partition = docs[2];
        Assert.That(partition.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Dimensions")[0].EnumerateArray().Select(n => n.GetString()),
            Is.EqualTo(new[] { "Cluster", "ConsumerGroup", "Topic", "Partition" }));
        Assert.That(partition.GetProperty("Partition").GetString(), Is.EqualTo("1"));
        Assert.That(partition.GetProperty("PartitionLag").GetDouble(), Is.EqualTo(20));
        Assert.That(partition.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics")[0].GetProperty("StorageResolution").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task KarrotNaming_EmfHasTheGroupAsMetric_AnEmptyDimensionSet_AndNoUnit()
    {
        using var stdout = new MemoryStream();
        await using var harness = await PluginHarness.CreateAsync(null, new Dictionary<string, object> { ["mode"] = "emf", ["naming"] = "karrot" }, stdout: stdout);

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: "topicA_consumer", totalLag: 601));

        var doc = EmfAssert.ValidDocument(Encoding.UTF8.GetString(stdout.ToArray()).TrimEnd('\n'));
        var directive = doc.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.That(directive.GetProperty("Dimensions").GetRawText(), Is.EqualTo("[[]]"));
        Assert.That(directive.GetProperty("Metrics")[0].GetRawText(), Is.EqualTo("{\"Name\":\"topicA_consumer\"}"));
        Assert.That(doc.GetProperty("topicA_consumer").GetDouble(), Is.EqualTo(601));
    }

    [Test]
    public async Task FileOutput_IsRotatedBySize_KeepingWholeLinesAndAtMostMaxFiles()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "emf", "lag.log");
        await using (var harness = await PluginHarness.CreateAsync(null, new Dictionary<string, object>
        {
            ["mode"] = "emf",
            ["emf_output"] = path,
            ["emf_max_file_size"] = 4096,
            ["emf_max_files"] = 2,
        }))
        {
            for (var i = 0; i < 100; i++)
            {
                await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: "group-" + i, totalLag: i));
            }
        }

        var files = Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order().ToList();
        Assert.That(files, Is.EqualTo(new[] { "lag.log", "lag.log.1", "lag.log.2" }));
        var live = await File.ReadAllLinesAsync(path);
        foreach (var file in files)
        {
            var full = Path.Combine(Path.GetDirectoryName(path)!, file!);
            Assert.That(new FileInfo(full).Length, Is.LessThanOrEqualTo(4096));
            foreach (var line in await File.ReadAllLinesAsync(full))
            {
                EmfAssert.ValidDocument(line);
            }
        }

        Assert.That(live.Last(), Does.Contain("\"ConsumerGroup\":\"group-99\""), "the newest line is in the live file");
    }

    [Test]
    public async Task BadDatum_IsNotWritten_AndIsCounted()
    {
        using var stdout = new MemoryStream();
        await using var harness = await PluginHarness.CreateAsync(null, new Dictionary<string, object> { ["mode"] = "emf", ["naming"] = "karrot" }, stdout: stdout);

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: string.Empty));
        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: "_aws"));

        Assert.That(stdout.Length, Is.Zero);
        Assert.That(harness.Metrics.Sum(PluginMetrics.DatumsDropped, ("reason", "invalid")), Is.EqualTo(2));
    }

    [Test]
    public void Output_IsOneJsonObjectALine()
    {
        var datums = Enumerable.Range(0, 3).Select(i => new MetricDatum("M" + i, [new Dimension("D", "v" + i)], i, "Count", PluginHarness.Start)).ToList();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        var lines = EmfFormatter.Write("NS", datums, buffer);

        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.That(lines, Is.EqualTo(3), "different dimension values: different documents");
        Assert.That(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.ValueKind),
            Has.All.EqualTo(JsonValueKind.Object));
    }
}
