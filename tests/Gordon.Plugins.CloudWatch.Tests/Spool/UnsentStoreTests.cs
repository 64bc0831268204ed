using Gordon.Plugins.CloudWatch.Datums;
using Gordon.Plugins.CloudWatch.Spool;
using Gordon.Plugins.CloudWatch.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.CloudWatch.Tests.Spool;

public sealed class UnsentStoreTests
{
    [Test]
    public void WriteThenLoad_GivesBackTheSameDatums_AndLeavesNoTempFile()
    {
        using var dir = new TempDirectory();
        var store = new UnsentStore(Path.Combine(dir.Path, "cw"), new FakeTimeProvider(PluginHarness.Start));
        var at = PluginHarness.Start.AddMilliseconds(123);
        MetricDatum[] datums =
        [
            new("TotalLag", [new Dimension("Cluster", "c \"q\" ü"), new Dimension("ConsumerGroup", "g\nx")], 1.5e12, "Count", at, 1),
            new("group-as-name", [], -3, null, at),
        ];

        var path = store.Write("NS/x", datums);
        var corrupt = new List<(string, string)>();
        var loaded = store.Load(corrupt).Single();

        Assert.That(loaded.Path, Is.EqualTo(path));
        Assert.That(loaded.Namespace, Is.EqualTo("NS/x"));
        Assert.That(loaded.Datums.Select(d => (d.MetricName, d.Value, d.Unit, d.Timestamp, d.StorageResolution)),
            Is.EqualTo(datums.Select(d => (d.MetricName, d.Value, d.Unit, d.Timestamp, d.StorageResolution))));
        Assert.That(loaded.Datums[0].Dimensions, Is.EqualTo(datums[0].Dimensions));
        Assert.That(corrupt, Is.Empty);
        Assert.That(Directory.GetFiles(store.Directory, "*.tmp"), Is.Empty);
    }

    [Test]
    public void Write_Twice_InTheSameMillisecond_KeepsBothFiles()
    {
        using var dir = new TempDirectory();
        var store = new UnsentStore(dir.Path, new FakeTimeProvider(PluginHarness.Start));
        MetricDatum[] one = [new("A", [], 1, null, PluginHarness.Start)];

        store.Write("NS", one);
        store.Write("NS", one);

        Assert.That(store.Load([]), Has.Count.EqualTo(2));
    }

    [Test]
    public void Rewrite_WithNothingLeft_DeletesTheFile()
    {
        using var dir = new TempDirectory();
        var store = new UnsentStore(dir.Path, new FakeTimeProvider(PluginHarness.Start));
        store.Write("NS", [new MetricDatum("A", [], 1, null, PluginHarness.Start), new MetricDatum("B", [], 2, null, PluginHarness.Start)]);
        var file = store.Load([]).Single();

        store.Rewrite(file, [file.Datums[1]]);
        Assert.That(store.Load([]).Single().Datums.Select(d => d.MetricName), Is.EqualTo(new[] { "B" }));
        store.Rewrite(file, []);

        Assert.That(Directory.GetFiles(dir.Path), Is.Empty);
    }

    [TestCase("not json at all")]
    [TestCase("{\"format\":\"something-else\",\"version\":1,\"namespace\":\"n\",\"datums\":[]}")]
    [TestCase("{\"format\":\"gordon-cloudwatch-unsent\",\"version\":1,\"namespace\":\"n\",\"datums\":[{\"name\":\"x\"}]}")]
    public void Load_UnreadableFile_IsMovedAsideAndReported(string content)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "unsent-1.json"), content);
        var store = new UnsentStore(dir.Path, new FakeTimeProvider(PluginHarness.Start));
        var corrupt = new List<(string Path, string Problem)>();

        var files = store.Load(corrupt);

        Assert.That(files, Is.Empty);
        Assert.That(corrupt.Single().Path, Does.EndWith("unsent-1.json.corrupt"));
        Assert.That(File.Exists(Path.Combine(dir.Path, "unsent-1.json.corrupt")), Is.True);
    }
}
