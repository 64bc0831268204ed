using System.Text.Json;
using System.Text.Json.Nodes;
using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Insights;
using Gordon.Plugins.Collectors.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Collectors.Tests.Insights;

/// <summary>Part C, packaging: what goes into which tarball, in which order, with which manifest and status rows.</summary>
public sealed class GathererPackingTests
{
    private static readonly string[] Common = ["./config.json", "./data_collection_status.csv", "./manifest.json"];

    private GatherHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new GatherHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task Gather_WithoutConfigCollector_ReturnsNothingLogsOneErrorAndWritesNoFile()
    {
        var (result, tarballs) = await _harness.DryRunAsync(
            [TestCollectors.Config(), TestCollectors.Json("json1", "json1", "1.1", () => 1)],
            subset: ["json1"]);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(GatherStatus.ConfigMissing));
            Assert.That(tarballs, Is.Empty);
            Assert.That(_harness.Logger.AtLeast(LogLevel.Error).Select(e => e.Message), Is.EqualTo(new[] { "Gather not run: 'config' collector data is missing" }));
            Assert.That(Directory.Exists(_harness.Destination), Is.False);
            Assert.That(File.Exists(_harness.StatePath), Is.False);
        });
    }

    [Test]
    public async Task Gather_ConfigAlone_GivesAnEmptyResultNotAnError()
    {
        var (result, tarballs) = await _harness.DryRunAsync([TestCollectors.Config()]);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(GatherStatus.Completed));
            Assert.That(result.Degraded, Is.False);
            Assert.That(tarballs, Is.Empty);
        });
    }

    [Test]
    public async Task Gather_ConfigFails_LeavesConfigOutOfEveryTarballAndMarksTheRunDegraded()
    {
        var (result, tarballs) = await _harness.DryRunAsync(
            [TestCollectors.FailingConfig(), TestCollectors.Json("json1", "json1", "1.1", () => 1), TestCollectors.Csv("big", "big", 1000, 1000)]);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(GatherStatus.Completed));
            Assert.That(result.ConfigFailed, Is.True);
            Assert.That(result.Degraded, Is.True);
            Assert.That(tarballs, Has.Count.EqualTo(3));
            Assert.That(tarballs.SelectMany(t => t).Select(m => m.Name), Has.None.EqualTo("./config.json"));
            Assert.That(JsonNode.Parse(tarballs[0].Single(m => m.Name == "./manifest.json").Text)!.AsObject().ContainsKey("config.json"), Is.False);
        });
    }

    [Test]
    public async Task Gather_JsonOnly_OneTarballWhoseMembersDecodeToWhatTheCollectorsReturned()
    {
        JsonNode Value1() => new JsonObject { ["a"] = 1, ["b"] = new JsonArray("x", null, 2.5), ["ünïcode"] = "✓" };
        JsonNode Value2() => new JsonArray(1, 2, 3);
        var (_, tarballs) = await _harness.DryRunAsync(
            [TestCollectors.Config(), TestCollectors.Json("json1", "json1", "1.0", Value1), TestCollectors.Json("json2", "json2", "1.0", Value2)]);

        Assert.That(tarballs, Has.Count.EqualTo(1));
        var members = tarballs[0].ToDictionary(m => m.Name);
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(members["./json1.json"].Text), Value1()), Is.True);
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(members["./json2.json"].Text), Value2()), Is.True);
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(members["./config.json"].Text), TestCollectors.Config().Collect(null!, default).Result.JsonValue), Is.True);
            // Byte for byte: the serialised value, nothing around it.
            Assert.That(members["./json2.json"].Data, Is.EqualTo("[1,2,3]"u8.ToArray()));
        });
    }

    [Test]
    public async Task Gather_JsonCollectorReturningNull_WritesNull()
    {
        var (_, tarballs) = await _harness.DryRunAsync([TestCollectors.Config(), TestCollectors.Json("nothing", "nothing", "1.0", () => null)]);

        Assert.That(tarballs[0].Single(m => m.Name == "./nothing.json").Data, Is.EqualTo("null"u8.ToArray()));
    }

    [Test]
    public async Task Gather_SmallCsvs_OneTarballWithEachMemberExactlyItsFile()
    {
        var (_, tarballs) = await _harness.DryRunAsync(
            [TestCollectors.Config(), TestCollectors.Csv("csv1", "csv1", 100), TestCollectors.Csv("csv2", "csv2", 200), TestCollectors.Csv("csv3", "csv3", 300)]);

        Assert.That(tarballs, Has.Count.EqualTo(1));
        var members = tarballs[0].ToDictionary(m => m.Name);
        Assert.Multiple(() =>
        {
            Assert.That(members["./csv1.csv"].Data, Is.EqualTo(CsvBytes(100)));
            Assert.That(members["./csv2.csv"].Data, Is.EqualTo(CsvBytes(200)));
            Assert.That(members["./csv3.csv"].Data, Is.EqualTo(CsvBytes(300)));
        });
    }

    [Test]
    public async Task Gather_EveryTarball_ListsDataFilesThenConfigStatusManifest_WithDotSlashNamesMode0644AndJsonTimeAtUntil()
    {
        var until = _harness.Time.GetUtcNow();
        var (_, tarballs) = await _harness.DryRunAsync(
            [TestCollectors.Config(), TestCollectors.Json("b_json", "b_json", "1.0", () => 2), TestCollectors.Json("a_json", "a_json", "1.0", () => 1), TestCollectors.Csv("c_csv", "c_csv", 100)]);

        Assert.That(tarballs, Has.Count.EqualTo(1));
        var names = tarballs[0].Select(m => m.Name).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(new[] { "./a_json.json", "./b_json.json", "./c_csv.csv", "./config.json", "./data_collection_status.csv", "./manifest.json" }));
            Assert.That(tarballs[0].Select(m => m.Mode), Has.All.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
            Assert.That(tarballs[0].Where(m => m.Name.EndsWith(".json", StringComparison.Ordinal)).Select(m => m.ModificationTime), Has.All.EqualTo(until));
        });
    }

    [Test]
    public async Task Gather_ManifestAndStatus_MatchExactly()
    {
        var (_, tarballs) = await _harness.DryRunAsync(
        [
            TestCollectors.Config(),
            TestCollectors.Json("json1", "json1", "1.1", () => 1),
            TestCollectors.Json("json2", "json2", "1.2", () => 2),
            TestCollectors.Json("json3", "json3", "1.3", () => 3),
        ]);

        Assert.That(tarballs, Has.Count.EqualTo(1));
        Assert.That(tarballs[0], Has.Count.EqualTo(6));
        var members = tarballs[0].ToDictionary(m => m.Name);
        var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(members["./manifest.json"].Text);
        Assert.That(manifest, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["config.json"] = "1.0",
            ["data_collection_status.csv"] = "1.0",
            ["json1.json"] = "1.1",
            ["json2.json"] = "1.2",
            ["json3.json"] = "1.3",
        }));

        var window = "2024-02-11 12:00:00+00:00,2024-03-10 12:00:00+00:00";
        Assert.That(members["./data_collection_status.csv"].Text, Is.EqualTo(
            "collection_start_timestamp,since,until,file_name,status,elapsed\r\n"
            + $"2024-03-10 12:00:00+00:00,{window},json1.json,ok,0\r\n"
            + $"2024-03-10 12:00:00+00:00,{window},json2.json,ok,0\r\n"
            + $"2024-03-10 12:00:00+00:00,{window},json3.json,ok,0\r\n"));
    }

    [Test]
    public async Task Gather_FailedCollections_GetAFailedStatusRowAndNoMember()
    {
        var (result, tarballs) = await _harness.DryRunAsync(
        [
            TestCollectors.Config(),
            TestCollectors.FailingJson("broken_json", "broken_json"),
            TestCollectors.Json("json1", "json1", "1.1", () => 1),
            TestCollectors.SliceEcho("sliced", "sliced", new OneSliceSlicer(), fails: _ => true),
        ]);

        Assert.That(tarballs, Has.Count.EqualTo(1));
        var members = tarballs[0].ToDictionary(m => m.Name);
        var rows = members["./data_collection_status.csv"].Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => r.Split(',')).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.FailedCollections, Is.EqualTo(2));
            Assert.That(members.Keys, Is.EqualTo(new[] { "./json1.json", "./config.json", "./data_collection_status.csv", "./manifest.json" }));
            Assert.That(rows.Select(r => (r[3], r[4])), Is.EqualTo(new[] { ("broken_json.json", "failed"), ("json1.json", "ok"), ("sliced.csv", "failed") }));
            Assert.That(JsonNode.Parse(members["./manifest.json"].Text)!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "json1.json", "config.json", "data_collection_status.csv" }));
        });
    }

    [Test]
    public async Task Gather_StatusElapsed_IsWholeSecondsOfTheCollection()
    {
        var slow = new CollectorDescriptor
        {
            Name = "slow",
            Key = "slow",
            Version = "1.0",
            Collect = (_, _) =>
            {
                _harness.Time.Advance(TimeSpan.FromMilliseconds(2999));
                return Task.FromResult(CollectorOutput.Json(1));
            },
        };
        var (_, tarballs) = await _harness.DryRunAsync([TestCollectors.Config(), slow]);

        var row = tarballs[0].Single(m => m.Name == "./data_collection_status.csv").Text.Split("\r\n")[1];
        Assert.That(row, Does.EndWith(",slow.json,ok,2"));
    }

    [Test]
    public async Task Gather_JsonAndTwoSlicedCsvs_GivesThreeTarballs()
    {
        var (_, tarballs) = await _harness.DryRunAsync(
        [
            TestCollectors.Config(),
            TestCollectors.Json("json1", "json1", "1.0", () => 1),
            TestCollectors.Json("json2", "json2", "1.0", () => 2),
            TestCollectors.Csv("csv_slicing_1", "csv_slicing_1", "1.0", new OneSliceSlicer(), (_, _) => [100]),
            TestCollectors.Csv("csv_slicing_2", "csv_slicing_2", "1.0", new OneSliceSlicer(), (_, _) => [1000, 1000]),
        ]);

        Assert.That(tarballs, Has.Count.EqualTo(3));
        Assert.Multiple(() =>
        {
            Assert.That(DataNames(tarballs[0]), Is.EqualTo(new[] { "./json1.json", "./json2.json", "./csv_slicing_1.csv" }));
            Assert.That(DataNames(tarballs[1]), Is.EqualTo(new[] { "./csv_slicing_2.csv" }));
            Assert.That(DataNames(tarballs[2]), Is.EqualTo(new[] { "./csv_slicing_2.csv" }));
            Assert.That(tarballs.Select(t => t.Skip(t.Count - 3).Select(m => m.Name)), Has.All.EqualTo(Common));
        });
    }

    [Test]
    public async Task Gather_TenPartCsvAtMaxSize_GivesTenTarballsOfOneDataMemberEach()
    {
        var (_, tarballs) = await _harness.DryRunAsync([TestCollectors.Config(), TestCollectors.Csv("big", "big", Enumerable.Repeat(1000, 10).ToArray())]);

        Assert.That(tarballs, Has.Count.EqualTo(10));
        foreach (var tarball in tarballs)
        {
            Assert.That(tarball, Has.Count.EqualTo(4));
            Assert.That(tarball[0].Data, Is.EqualTo(CsvBytes(1000)));
        }
    }

    [Test]
    public async Task Gather_MixedFirstFit_UsesAnInclusiveLimitAndGivesThreeTarballs()
    {
        var (_, tarballs) = await _harness.DryRunAsync(
        [
            TestCollectors.Config(),
            TestCollectors.Csv("csv_collection_2", "csv_collection_2", 200),
            TestCollectors.Csv("big_table_2", "big_table_2", 800, 800, 800),
            TestCollectors.Csv("csv_collection_1", "csv_collection_1", 100),
        ]);

        Assert.That(tarballs, Has.Count.EqualTo(3));
        Assert.Multiple(() =>
        {
            Assert.That(DataNames(tarballs[0]), Is.EqualTo(new[] { "./big_table_2.csv", "./csv_collection_1.csv" }));
            Assert.That(DataNames(tarballs[1]), Is.EqualTo(new[] { "./big_table_2.csv", "./csv_collection_2.csv" }));
            Assert.That(DataNames(tarballs[2]), Is.EqualTo(new[] { "./big_table_2.csv" }));
            Assert.That(tarballs.Select(t => t.Count), Is.EqualTo(new[] { 5, 5, 4 }));
        });
    }

    [Test]
    public async Task Gather_Distribution_GivesTheThirteenTarballLayout()
    {
        var day1 = new CollectorSlice(_harness.Time.GetUtcNow().AddDays(-2), _harness.Time.GetUtcNow().AddDays(-1));
        var day2 = new CollectorSlice(day1.Until, _harness.Time.GetUtcNow());
        int[] Parts(int first, int second, int call) => Enumerable.Repeat(100, call == 0 ? first : second).ToArray();
        var (_, tarballs) = await _harness.DryRunAsync(
        [
            TestCollectors.Config(),
            TestCollectors.Json("json", "json", "1.0", () => new JsonObject { ["x"] = 1 }),
            TestCollectors.Csv("csv_a_2", "csv_a_2", Enumerable.Repeat(100, 2).ToArray()),
            TestCollectors.Csv("csv_b_1", "csv_b_1", 100),
            TestCollectors.Csv("csv_c_10", "csv_c_10", Enumerable.Repeat(100, 10).ToArray()),
            TestCollectors.Csv("csv_d_12", "csv_d_12", Enumerable.Repeat(100, 12).ToArray()),
            TestCollectors.Csv("sliced_1", "1-5x", "1.0", new FixedSlicer(day1, day2), (_, call) => Parts(2, 3, call)),
            TestCollectors.Csv("sliced_2", "2-3x", "1.0", new FixedSlicer(day1, day2), (_, call) => Parts(2, 1, call)),
            TestCollectors.Csv("sliced_3", "3-2x", "1.0", new FixedSlicer(day1), (_, call) => Parts(2, 0, call)),
            TestCollectors.Csv("sliced_4", "4-3x", "1.0", new FixedSlicer(day1), (_, call) => Parts(3, 0, call)),
        ]);

        Assert.That(tarballs, Has.Count.EqualTo(13));
        var expected = new Dictionary<string, int[]>
        {
            ["json.json"] = [0],
            ["csv_a_2.csv"] = [0, 1],
            ["csv_b_1.csv"] = [0],
            ["csv_c_10.csv"] = [.. Enumerable.Range(0, 10)],
            ["csv_d_12.csv"] = [.. Enumerable.Range(0, 12)],
            ["1-5x.csv"] = [0, 1, 2, 3, 4],
            ["2-3x.csv"] = [5, 6, 7],
            ["3-2x.csv"] = [8, 9],
            ["4-3x.csv"] = [10, 11, 12],
        };
        Assert.Multiple(() =>
        {
            foreach (var (file, indexes) in expected)
            {
                for (var i = 0; i < tarballs.Count; i++)
                {
                    Assert.That(tarballs[i].Any(m => m.Name == "./" + file), Is.EqualTo(indexes.Contains(i)), $"{file} in tarball {i}");
                }
            }

            Assert.That(tarballs.Select(t => t.Select(m => m.Name).Intersect(Common).Count()), Has.All.EqualTo(3));
        });
    }

    [Test]
    public async Task Gather_ShippingGroups_NeverShareATarball()
    {
        var (_, tarballs) = await _harness.DryRunAsync(
        [
            TestCollectors.Config(),
            TestCollectors.Json("a", "a", "1.0", () => 1, group: "one"),
            TestCollectors.Json("b", "b", "1.0", () => 2, group: "two"),
            TestCollectors.Json("c", "c", "1.0", () => 3, group: "one"),
        ]);

        Assert.That(tarballs.Select(DataNames), Is.EqualTo(new[] { new[] { "./a.json", "./c.json" }, new[] { "./b.json" } }));
    }

    [Test]
    public async Task Gather_DailySlicingOverTenDays_GivesTenTarballsEachWithItsOwnSliceBounds()
    {
        var midnight = new DateTimeOffset(2024, 3, 10, 0, 0, 0, TimeSpan.Zero);
        var (_, tarballs) = await _harness.DryRunAsync(
            [TestCollectors.Config(), TestCollectors.SliceEcho("daily", "daily", CalendarSlicer.Daily)],
            since: midnight.AddDays(-10),
            until: midnight);

        Assert.That(tarballs, Has.Count.EqualTo(10));
        for (var i = 0; i < 10; i++)
        {
            var since = midnight.AddDays(i - 10);
            var members = tarballs[i].ToDictionary(m => m.Name);
            Assert.That(members["./daily.csv"].Text, Is.EqualTo($"since,until,part\n{TestCollectors.Iso(since)},{TestCollectors.Iso(since.AddDays(1))},0\n"));
            var status = members["./data_collection_status.csv"].Text.Split("\r\n")[1].Split(',');
            Assert.That((status[1], status[2]), Is.EqualTo((StatusFile.PythonTime(since), StatusFile.PythonTime(since.AddDays(1)))));
        }
    }

    [Test]
    public async Task Gather_DailySlicingWithASizeSplitPerDay_GivesTwentyTarballs()
    {
        var midnight = new DateTimeOffset(2024, 3, 10, 0, 0, 0, TimeSpan.Zero);
        var (_, tarballs) = await _harness.DryRunAsync(
            [TestCollectors.Config(), TestCollectors.SliceEcho("daily", "daily", CalendarSlicer.Daily, parts: 2)],
            since: midnight.AddDays(-10),
            until: midnight);

        Assert.That(tarballs, Has.Count.EqualTo(20));
        Assert.That(tarballs.Select(t => t.Count(m => m.Name == "./daily.csv")), Has.All.EqualTo(1));
    }

    [TestCase(4, 7)]
    [TestCase(6, 10)]
    public async Task Gather_FullSyncEveryFiveDays_IsIncrementalUntilTheIntervalElapses(int lastFullDaysAgo, int expectedTarballs)
    {
        var midnight = new DateTimeOffset(2024, 3, 10, 0, 0, 0, TimeSpan.Zero);
        _harness.Dispose();
        _harness = new GatherHarness(midnight);
        var store = new GatherStateStore(_harness.StatePath);
        await store.SaveAsync(
            new GatherState(null, null, new Dictionary<string, DateTimeOffset> { ["synced"] = midnight.AddDays(-7), ["synced_full"] = midnight.AddDays(-lastFullDaysAgo) }),
            CancellationToken.None);
        var slicer = new DaySlicer(fullSyncDays: 10);

        var (_, tarballs) = await _harness.DryRunAsync(
            [TestCollectors.Config(), TestCollectors.SliceEcho("synced", "synced", slicer, fullSyncDays: 5)],
            since: midnight.AddDays(-7));

        Assert.That(tarballs, Has.Count.EqualTo(expectedTarballs));
        Assert.That(slicer.Requests.Single().FullSync, Is.EqualTo(lastFullDaysAgo > 5));
    }

    [Test]
    public async Task Gather_ProcessesCollectorsInRegistrationNameOrder_WhateverTheRegistrationOrder()
    {
        var (_, tarballs) = await _harness.DryRunAsync(
            [TestCollectors.Csv("zeta", "zeta", 600), TestCollectors.Config(), TestCollectors.Csv("alpha", "alpha", 600), TestCollectors.Csv("mid", "mid", 400)]);

        Assert.That(tarballs.Select(DataNames), Is.EqualTo(new[] { new[] { "./alpha.csv", "./mid.csv" }, new[] { "./zeta.csv" } }));
    }

    [Test]
    public async Task Gather_TarballNames_AreBaseUntilIndex()
    {
        var (result, _) = await _harness.DryRunAsync([TestCollectors.Config(), TestCollectors.Csv("big", "big", 1000, 1000)]);

        Assert.That(result.Tarballs.Select(Path.GetFileName), Is.EqualTo(new[] { "test-2024-03-10-120000+0000-0.tar.gz", "test-2024-03-10-120000+0000-1.tar.gz" }));
    }

    private static string[] DataNames(IReadOnlyList<TarMember> tarball) => [.. tarball.Select(m => m.Name).Except(Common)];

    private static byte[] CsvBytes(int size)
    {
        var text = TestCollectors.CsvHeader;
        while (text.Length < size)
        {
            text += TestCollectors.CsvRow;
        }

        return System.Text.Encoding.UTF8.GetBytes(text);
    }
}
