using Gordon.Plugins.CloudWatch.Diagnostics;
using Gordon.Plugins.CloudWatch.Tests.Support;

namespace Gordon.Plugins.CloudWatch.Tests;

/// <summary>Shutdown: flush within the drain time, keep what cannot be sent, send it first at the next start.</summary>
public sealed class CloudWatchPluginDrainTests
{
    private FakeCloudWatch _server = null!;
    private TempDirectory _state = null!;

    [SetUp]
    public async Task Start()
    {
        _server = await FakeCloudWatch.StartAsync();
        _state = new TempDirectory();
    }

    [TearDown]
    public async Task Stop()
    {
        await _server.DisposeAsync();
        _state.Dispose();
    }

    private string UnsentFolder => Path.Combine(_state.Path, "cloudwatch", "cloudwatch");

    [Test]
    [CancelAfter(10_000)]
    public async Task Stop_SendsWhatIsBuffered_WithoutWaitingForTheTimer(CancellationToken cancellationToken)
    {
        var harness = await PluginHarness.CreateAsync(_server, stateDirectory: _state.Path);
        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));

        await harness.Plugin.StopAsync(cancellationToken);

        Assert.That(_server.AcceptedDatums, Has.Count.EqualTo(4));
        Assert.That(Directory.Exists(UnsentFolder) ? Directory.GetFiles(UnsentFolder) : [], Is.Empty);
        await harness.DisposeAsync();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Stop_CloudWatchDown_KeepsTheDatumsInAFile_TheNextStartSendsThemFirstAndDeletesIt(CancellationToken cancellationToken)
    {
        var config = new Dictionary<string, object> { ["max_attempts"] = 1 };
        var first = await PluginHarness.CreateAsync(_server, config, stateDirectory: _state.Path);
        _server.Script(503, "ServiceUnavailable", "down");
        await first.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: "kept", totalLag: 77));

        await first.Plugin.StopAsync(cancellationToken);

        var files = Directory.GetFiles(UnsentFolder);
        Assert.That(files.Select(Path.GetFileName), Is.EqualTo(new[] { "unsent-20250601T120000000Z.json" }), "no temp file left behind");
        Assert.That(first.Metrics.Sum(PluginMetrics.UnsentFiles, ("outcome", "written")), Is.EqualTo(1));
        Assert.That(first.Logs.Has(8106, "4 datums could not be sent before shutdown"), Is.True);
        Assert.That(_server.AcceptedDatums, Is.Empty);
        await first.DisposeAsync();

        var flushed = new TaskCompletionSource();
        var second = await PluginHarness.CreateAsync(_server, config, stateDirectory: _state.Path, start: false);
        var firstFlush = second.NextFlush();
        await second.Plugin.StartAsync(cancellationToken);
        await firstFlush.WaitAsync(cancellationToken);

        Assert.That(_server.AcceptedDatums.Select(d => (d.MetricName, d.Dimension("ConsumerGroup"), d.Value)), Does.Contain(("TotalLag", "kept", 77.0)));
        Assert.That(_server.AcceptedDatums, Has.Count.EqualTo(4));
        Assert.That(Directory.GetFiles(UnsentFolder), Is.Empty, "deleted once sent");
        Assert.That(second.Metrics.Sum(PluginMetrics.UnsentFiles, ("outcome", "resent")), Is.EqualTo(1));
        await second.DisposeAsync();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task CorruptUnsentFile_IsReportedAndMovedAside_ThePluginStartsAnyway(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(UnsentFolder);
        await File.WriteAllTextAsync(Path.Combine(UnsentFolder, "unsent-20250601T110000000Z.json"), "{\"format\": \"gordon-cloudwatch-unsent\", \"datu", cancellationToken);

        await using var harness = await PluginHarness.CreateAsync(_server, stateDirectory: _state.Path);
        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));
        await harness.TickAndFlushAsync(cancellationToken);

        Assert.That(Directory.GetFiles(UnsentFolder).Select(Path.GetFileName), Is.EqualTo(new[] { "unsent-20250601T110000000Z.json.corrupt" }));
        Assert.That(harness.Logs.Has(8008, "unsent-20250601T110000000Z.json.corrupt"), Is.True);
        Assert.That(harness.Metrics.Sum(PluginMetrics.UnsentFiles, ("outcome", "corrupt")), Is.EqualTo(1));
        Assert.That(_server.AcceptedDatums, Has.Count.EqualTo(4), "the plugin works on");
    }

    [Test]
    [CancelAfter(10_000)]
    [NonParallelizable] // It clears the process-wide AWS_REGION variables.
    public async Task NoRegion_StaysUp_Unhealthy_AndKeepsTheDatumsForTheNextStart(CancellationToken cancellationToken)
    {
        using var env = new EnvironmentScope();
        Amazon.Runtime.FallbackRegionFactory.Reset();
        var harness = await PluginHarness.CreateAsync(null, stateDirectory: _state.Path);
        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));

        Assert.That(harness.Plugin.GetHealth().Detail, Does.StartWith("no AWS region"));
        await harness.Plugin.StopAsync(cancellationToken);

        Assert.That(Directory.GetFiles(UnsentFolder), Has.Length.EqualTo(1));
        await harness.DisposeAsync();
    }
}
