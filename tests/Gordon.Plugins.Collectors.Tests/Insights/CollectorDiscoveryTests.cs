using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Insights;
using Gordon.Plugins.Collectors.Interval;
using Gordon.Plugins.Collectors.Interval.Probes;
using Gordon.Plugins.Collectors.Tests.Insights.Discovered;

namespace Gordon.Plugins.Collectors.Tests.Insights;

/// <summary>Collectors and probes registered with attributes in a plugin assembly (here: this test assembly).</summary>
public sealed class CollectorDiscoveryTests
{
    [Test]
    public void Discover_FindsClassAndMethodCollectorsWithTheirAttributes_InNameOrder()
    {
        var problems = new List<string>();

        var found = CollectorDiscovery.Discover([typeof(ThirdPartyCollector).Assembly], problems);

        Assert.That(found.Select(c => c.Name), Is.EqualTo(new[] { "CustomSliced", "HourlyTable", "ThirdPartyCollector" }));
        var hourly = found.Single(c => c.Name == "HourlyTable");
        Assert.Multiple(() =>
        {
            Assert.That((hourly.Key, hourly.Version, hourly.Format, hourly.ShippingGroup, hourly.FullSyncIntervalDays), Is.EqualTo(("method_csv", "1.0", CollectorFormat.Csv, "hourly", 7)));
            Assert.That(hourly.Slicer, Is.SameAs(CalendarSlicer.Hourly));
            Assert.That(found.Single(c => c.Name == "CustomSliced").Slicer, Is.TypeOf<TwoSlices>());
            Assert.That(found.Single(c => c.Name == "ThirdPartyCollector").Version, Is.EqualTo("2.1"));
            Assert.That(found.Select(c => c.Source), Has.All.EqualTo("Gordon.Plugins.Collectors.Tests"));
        });
    }

    [Test]
    public void Discover_ReportsEachCollectorThatDoesNotFit_AndLeavesItOut()
    {
        var problems = new List<string>();

        CollectorDiscovery.Discover([typeof(ThirdPartyCollector).Assembly], problems);

        Assert.That(problems, Is.EquivalentTo(new[]
        {
            "collector Gordon.Plugins.Collectors.Tests.Insights.Discovered.ThirdPartyMethods.WrongSignature: a [Collector] method must be static Task<CollectorOutput> WrongSignature(CollectorInvocation, CancellationToken)",
            "collector Gordon.Plugins.Collectors.Tests.Insights.Discovered.ThirdPartyMethods.BadKey: key 'bad key!' must be 1 to 90 letters, digits, '.', '_' or '-'",
            "collector Gordon.Plugins.Collectors.Tests.Insights.Discovered.ThirdPartyMethods.SlicedJson: only CSV collectors can be sliced",
            "collector Gordon.Plugins.Collectors.Tests.Insights.Discovered.ThirdPartyMethods.Reserved: key 'manifest' is reserved for the tarball's own files",
            "collector Gordon.Plugins.Collectors.Tests.Insights.Discovered.NotACollector: a [Collector] class must implement ICollector and have a public parameterless constructor",
        }));
    }

    [Test]
    public async Task DiscoveredCollector_RunsInAGather()
    {
        using var harness = new Support.GatherHarness();
        var found = CollectorDiscovery.Discover([typeof(ThirdPartyCollector).Assembly], []);

        var (_, tarballs) = await harness.DryRunAsync([Support.TestCollectors.Config(), .. found.Where(c => c.Name == "ThirdPartyCollector")]);

        Assert.That(tarballs.Single().Select(m => m.Name), Does.Contain("./third_party.json"));
        Assert.That(tarballs.Single().Single(m => m.Name == "./manifest.json").Text, Does.Contain("\"third_party.json\":\"2.1\""));
    }

    [Test]
    public async Task ProbeDiscovery_AddsThirdPartyProbes_AndRefusesANameTaken()
    {
        await using var registry = new ProbeRegistry(new Dictionary<string, ICollectorProbe> { ["http"] = new TcpProbe() });
        var problems = new List<string>();

        registry.Discover([typeof(ConstantProbe).Assembly], problems);

        Assert.Multiple(() =>
        {
            Assert.That(registry.Names, Is.EquivalentTo(new[] { "http", "constant" }));
            Assert.That(registry.TryGet("http", out var http) && http is TcpProbe, Is.True);
            Assert.That(problems, Is.EqualTo(new[] { "probe Gordon.Plugins.Collectors.Tests.Insights.Discovered.ClashingProbe: the name 'http' is taken; this probe is left out" }));
        });
    }
}
