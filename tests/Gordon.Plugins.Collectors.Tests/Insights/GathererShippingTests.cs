using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Insights;
using Gordon.Plugins.Collectors.Tests.Support;

namespace Gordon.Plugins.Collectors.Tests.Insights;

/// <summary>Part C, modes and persistence: dry run versus manual, gap-free watermarks, the lock.</summary>
public sealed class GathererShippingTests
{
    private static readonly DateTimeOffset Midnight = new(2024, 3, 10, 0, 0, 0, TimeSpan.Zero);

    private GatherHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new GatherHarness(Midnight);

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task DryRun_UploadsNothingPersistsNothingAndKeepsTarballs()
    {
        var shipper = new RecordingShipper();
        var gatherer = _harness.Create([TestCollectors.Config(), TestCollectors.Json("json1", "json1", "1.0", () => 1)], shipper);

        var result = await gatherer.GatherAsync(new GatherRequest(CollectionMode.DryRun, _harness.Destination), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(shipper.Calls, Is.Empty);
            Assert.That(File.Exists(_harness.StatePath), Is.False);
            Assert.That(result.TarballsKept, Is.True);
            Assert.That(result.Tarballs, Has.Count.EqualTo(1));
            Assert.That(result.Tarballs.Select(File.Exists), Has.All.True);
        });
    }

    [Test]
    public async Task DryRun_WithoutShippingConfigured_StillRuns()
    {
        var gatherer = _harness.Create([TestCollectors.Config()], new RecordingShipper(problem: "ingress_url is not set"));

        var result = await gatherer.GatherAsync(new GatherRequest(CollectionMode.DryRun, _harness.Destination), CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(GatherStatus.Completed));
    }

    [TestCase(CollectionMode.Manual)]
    [TestCase(CollectionMode.Scheduled)]
    public async Task ShippingGather_WithoutShippingConfigured_IsNotEnabledAndDoesNothing(CollectionMode mode)
    {
        var gatherer = _harness.Create([TestCollectors.Config()], new RecordingShipper(problem: "ingress_url is not set"));

        var result = await gatherer.GatherAsync(new GatherRequest(mode, _harness.Destination), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(GatherStatus.NotEnabled));
            Assert.That(result.Message, Does.Contain("ingress_url is not set"));
            Assert.That(Directory.Exists(_harness.Destination), Is.False);
        });
    }

    [TestCase(CollectionMode.Manual)]
    [TestCase(CollectionMode.Scheduled)]
    public async Task ShippingGather_ShipsDeletesTarballsAndPersistsState(CollectionMode mode)
    {
        var shipper = new RecordingShipper();
        var gatherer = _harness.Create([TestCollectors.Config(), TestCollectors.Json("json1", "json1", "1.0", () => 1), TestCollectors.Csv("csv1", "csv1", 1000, 1000)], shipper);

        var result = await gatherer.GatherAsync(new GatherRequest(mode, _harness.Destination), CancellationToken.None);

        var state = await new GatherStateStore(_harness.StatePath).LoadAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(shipper.Calls.Select(c => c.Name), Is.EqualTo(result.Tarballs.Select(Path.GetFileName)));
            Assert.That(result.Shipped, Is.EqualTo(3));
            Assert.That(result.TarballsKept, Is.False);
            Assert.That(result.Tarballs.Select(File.Exists), Has.All.False);
            Assert.That(state.LastGather, Is.EqualTo(Midnight));
            Assert.That(state.LastAttempt, Is.EqualTo(Midnight));
            Assert.That(state.Entries, Is.EquivalentTo(new Dictionary<string, DateTimeOffset> { ["json1"] = Midnight, ["csv1"] = Midnight }));
        });
    }

    [Test]
    public async Task ShippingGather_KeepTarballs_LeavesThemInTheDestination()
    {
        var gatherer = _harness.Create([TestCollectors.Config(), TestCollectors.Json("json1", "json1", "1.0", () => 1)], keep: true);

        var result = await gatherer.GatherAsync(new GatherRequest(CollectionMode.Manual, _harness.Destination), CancellationToken.None);

        Assert.That(result.Tarballs.Select(File.Exists), Has.All.True);
        Assert.That(Path.GetDirectoryName(result.Tarballs[0]), Is.EqualTo(_harness.Destination));
    }

    [Test]
    public async Task Gather_SecondRun_StartsAtTheWatermark()
    {
        var slicer = new DaySlicer();
        var gatherer = _harness.Create([TestCollectors.Config(), TestCollectors.SliceEcho("daily", "daily", slicer)]);
        await gatherer.GatherAsync(new GatherRequest(CollectionMode.Manual, Since: Midnight.AddDays(-3)), CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromDays(2));

        var shipper = new RecordingShipper();
        var second = _harness.Create([TestCollectors.Config(), TestCollectors.SliceEcho("daily", "daily", slicer)], shipper);
        await second.GatherAsync(new GatherRequest(CollectionMode.Scheduled), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(slicer.Requests[1].Since, Is.Null);
            Assert.That(slicer.Requests[1].Watermark, Is.EqualTo(Midnight));
            Assert.That(shipper.Calls, Has.Count.EqualTo(2));
        });
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public async Task UploadFailureAtAnySlice_LeavesTheWatermarkAtTheLastShippedSlice(int failingSlice)
    {
        var shipper = new RecordingShipper(call => call != failingSlice);
        var gatherer = _harness.Create([TestCollectors.Config(), TestCollectors.SliceEcho("daily", "daily", CalendarSlicer.Daily)], shipper);

        var result = await gatherer.GatherAsync(new GatherRequest(CollectionMode.Manual, Since: Midnight.AddDays(-5), Until: Midnight), CancellationToken.None);

        var state = await new GatherStateStore(_harness.StatePath).LoadAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            // Later slices were still shipped: the watermark, not the shipping, stops at the gap.
            Assert.That(shipper.Calls, Has.Count.EqualTo(5));
            Assert.That(result.ShipFailures, Is.EqualTo(1));
            Assert.That(state.Entries.ContainsKey("daily"), Is.EqualTo(failingSlice > 0));
            if (failingSlice > 0)
            {
                Assert.That(state.Entries["daily"], Is.EqualTo(Midnight.AddDays(-5 + failingSlice)));
            }

            Assert.That(state.LastGather, Is.Null);
            Assert.That(state.LastAttempt, Is.EqualTo(Midnight));
        });
    }

    [Test]
    public async Task UploadFailureOfOnePartOfASlice_StopsTheWatermarkBeforeThatSlice()
    {
        // Slice 1 is split in two tarballs; the second part of it fails.
        var shipper = new RecordingShipper(call => call != 2);
        var gatherer = _harness.Create([TestCollectors.Config(), TestCollectors.SliceEcho("daily", "daily", CalendarSlicer.Daily, parts: 2)], shipper);

        await gatherer.GatherAsync(new GatherRequest(CollectionMode.Manual, Since: Midnight.AddDays(-3), Until: Midnight), CancellationToken.None);

        var state = await new GatherStateStore(_harness.StatePath).LoadAsync(CancellationToken.None);
        Assert.That(state.Entries["daily"], Is.EqualTo(Midnight.AddDays(-2)));
    }

    [Test]
    public async Task FailedSliceGather_StopsTheWatermarkThereEvenWhenLaterSlicesShip()
    {
        var shipper = new RecordingShipper();
        var failing = Midnight.AddDays(-3);
        var gatherer = _harness.Create(
            [TestCollectors.Config(), TestCollectors.SliceEcho("daily", "daily", CalendarSlicer.Daily, fails: i => i.Since == failing)],
            shipper);

        var result = await gatherer.GatherAsync(new GatherRequest(CollectionMode.Manual, Since: Midnight.AddDays(-5), Until: Midnight), CancellationToken.None);

        var state = await new GatherStateStore(_harness.StatePath).LoadAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.FailedCollections, Is.EqualTo(1));
            Assert.That(state.Entries["daily"], Is.EqualTo(failing));
        });
    }

    [Test]
    public async Task Watermarks_AreKeptPerKey_AFailureOfOneKeyLeavesTheOthersMoving()
    {
        var shipper = new RecordingShipper();
        var gatherer = _harness.Create(
        [
            TestCollectors.Config(),
            TestCollectors.FailingJson("broken", "broken"),
            TestCollectors.SliceEcho("daily", "daily", CalendarSlicer.Daily),
        ], shipper);

        await gatherer.GatherAsync(new GatherRequest(CollectionMode.Manual, Since: Midnight.AddDays(-2), Until: Midnight), CancellationToken.None);

        var state = await new GatherStateStore(_harness.StatePath).LoadAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(state.Entries.ContainsKey("broken"), Is.False);
            Assert.That(state.Entries["daily"], Is.EqualTo(Midnight));
            Assert.That(state.Entries.Keys, Has.None.EqualTo("config").And.None.EqualTo("manifest"));
        });
    }

    [Test]
    public async Task FullSync_IsRecordedOnlyWhenAllOfItShipped()
    {
        var slicer = new DaySlicer(fullSyncDays: 3);
        var shipper = new RecordingShipper(call => call != 1);
        var gatherer = _harness.Create([TestCollectors.Config(), TestCollectors.SliceEcho("synced", "synced", slicer, fullSyncDays: 5)], shipper);
        await gatherer.GatherAsync(new GatherRequest(CollectionMode.Manual), CancellationToken.None);
        var afterFailure = await new GatherStateStore(_harness.StatePath).LoadAsync(CancellationToken.None);

        var retry = _harness.Create([TestCollectors.Config(), TestCollectors.SliceEcho("synced", "synced", slicer, fullSyncDays: 5)], new RecordingShipper());
        await retry.GatherAsync(new GatherRequest(CollectionMode.Manual), CancellationToken.None);
        var afterSuccess = await new GatherStateStore(_harness.StatePath).LoadAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(slicer.Requests.Select(r => r.FullSync), Is.EqualTo(new[] { true, true }));
            Assert.That(afterFailure.Entries.ContainsKey("synced_full"), Is.False);
            Assert.That(afterFailure.Entries["synced"], Is.EqualTo(Midnight.AddDays(-2)));
            Assert.That(afterSuccess.Entries["synced_full"], Is.EqualTo(Midnight));
        });
    }

    [Test]
    public async Task ConcurrentSecondGather_IsLockedAndDoesNothing()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocking = new CollectorDescriptor
        {
            Name = "blocking",
            Key = "blocking",
            Version = "1.0",
            Collect = async (_, cancellationToken) =>
            {
                entered.SetResult();
                await release.Task.WaitAsync(cancellationToken);
                return CollectorOutput.Json(1);
            },
        };
        var shipper = new RecordingShipper();
        var first = _harness.Create([TestCollectors.Config(), blocking], shipper);
        var running = first.GatherAsync(new GatherRequest(CollectionMode.Manual), CancellationToken.None);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var secondShipper = new RecordingShipper();
        var second = await _harness.Create([TestCollectors.Config(), TestCollectors.Json("json1", "json1", "1.0", () => 1)], secondShipper)
            .GatherAsync(new GatherRequest(CollectionMode.Manual, _harness.Combine("second")), CancellationToken.None);
        release.SetResult();
        var firstResult = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(second.Status, Is.EqualTo(GatherStatus.Locked));
            Assert.That(second.Message, Does.Contain("locked"));
            Assert.That(secondShipper.Calls, Is.Empty);
            Assert.That(Directory.Exists(_harness.Combine("second")), Is.False);
            Assert.That(firstResult.Status, Is.EqualTo(GatherStatus.Completed));
        });
    }

    [Test]
    public async Task Gather_AfterTheLockIsReleased_RunsAgain()
    {
        var gatherer = _harness.Create([TestCollectors.Config()]);
        await gatherer.GatherAsync(new GatherRequest(CollectionMode.DryRun), CancellationToken.None);

        var again = await gatherer.GatherAsync(new GatherRequest(CollectionMode.DryRun), CancellationToken.None);

        Assert.That(again.Status, Is.EqualTo(GatherStatus.Completed));
    }

    [Test]
    public async Task Gather_UnreadableStateFile_IsRefusedNamingTheFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_harness.StatePath)!);
        await File.WriteAllTextAsync(_harness.StatePath, "{ not json");
        var gatherer = _harness.Create([TestCollectors.Config()]);

        var result = await gatherer.GatherAsync(new GatherRequest(CollectionMode.Manual), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(GatherStatus.StateUnreadable));
            Assert.That(result.Message, Does.Contain(_harness.StatePath));
        });
    }

    [Test]
    public async Task Gather_SinceNotBeforeUntil_IsRefused()
    {
        var gatherer = _harness.Create([TestCollectors.Config()]);

        var result = await gatherer.GatherAsync(new GatherRequest(CollectionMode.DryRun, Since: Midnight.AddDays(-1), Until: Midnight.AddDays(-2)), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(GatherStatus.InvalidWindow));
            Assert.That(result.Message, Does.Contain("must be before until"));
        });
    }
}
