using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;
using Gordon.Plugins.Burrow.Enrich;
using Gordon.Plugins.Burrow.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using E = Gordon.Plugins.Burrow.Enrich.EnrichedTraits;

namespace Gordon.Plugins.Burrow.Tests.Enrich;

public sealed class BurrowEnrichPluginTests
{
    private static readonly DateTimeOffset T0 = new(2024, 6, 10, 6, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task FirstReportOfAGroup_GetsNoRate()
    {
        var (plugin, _) = Plugin();

        var e = await EnrichAsync(plugin, Report("m1", T0, 8785));

        Assert.That(e.TraitNames(), Has.None.AnyOf(E.TotalLagDelta, E.LagRate, E.CatchUpSeconds, E.DeltaSeconds));
    }

    [Test]
    public async Task GrowingLag_GivesDeltaAndPositiveRate_AndNoCatchUp()
    {
        var (plugin, _) = Plugin();
        await EnrichAsync(plugin, Report("m1", T0, 8785));

        var e = await EnrichAsync(plugin, Report("m2", T0.AddSeconds(30), 9085));

        Assert.Multiple(() =>
        {
            Assert.That(e.Value(E.TotalLagDelta), Is.EqualTo(300L));
            Assert.That(e.Value(E.DeltaSeconds), Is.EqualTo(30.0));
            Assert.That(e.Value(E.LagRate), Is.EqualTo(10.0));
            Assert.That(e.Value(E.CatchUpSeconds), Is.Null);
            Assert.That(e.Value(ConsumerStatusTraits.TotalLag), Is.EqualTo(9085L), "the report's own traits stay");
        });
    }

    [Test]
    public async Task ShrinkingLag_GivesNegativeRate_AndTheTimeToCatchUp()
    {
        var (plugin, _) = Plugin();
        await EnrichAsync(plugin, Report("m1", T0, 9085));

        var e = await EnrichAsync(plugin, Report("m2", T0.AddSeconds(30), 8485));

        Assert.That(e.Value(E.TotalLagDelta), Is.EqualTo(-600L));
        Assert.That(e.Value(E.LagRate), Is.EqualTo(-20.0));
        Assert.That(e.Value(E.CatchUpSeconds), Is.EqualTo(8485 / 20.0));
    }

    [Test]
    public async Task NoLag_HasCatchUpZero()
    {
        var (plugin, _) = Plugin();
        await EnrichAsync(plugin, Report("m1", T0, 100));

        var first = await EnrichAsync(plugin, Report("m0", T0.AddSeconds(-60), 0));
        var caughtUp = await EnrichAsync(plugin, Report("m2", T0.AddSeconds(10), 0));

        Assert.That(first.Value(E.CatchUpSeconds), Is.EqualTo(0.0));
        Assert.That(caughtUp.Value(E.CatchUpSeconds), Is.EqualTo(0.0));
        Assert.That(caughtUp.Value(E.LagRate), Is.EqualTo(-10.0));
    }

    [Test]
    public async Task FullReport_GetsPerTopicTotals_AndTheSecondOneTheirRates()
    {
        var (plugin, _) = Plugin();
        var first = await EnrichAsync(plugin, Report("m1", T0, 60, full: true, ("orders", 10), ("orders", 20), ("audit", 30)));

        var second = await EnrichAsync(plugin, Report("m2", T0.AddSeconds(10), 50, full: true, ("orders", 5), ("orders", 5), ("audit", 40)));

        var topics = second.Details.Where(d => d.Kind == E.TopicDetailKind).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(first.Details.Where(d => d.Kind == E.TopicDetailKind).Select(d => $"{d.Value(E.Topic)}={d.Value(E.TopicLag)}/{d.Value(E.TopicPartitions)}"),
                Is.EqualTo(new[] { "audit=30/1", "orders=30/2" }));
            Assert.That(topics.Select(d => d.Value(E.Topic)), Is.EqualTo(new[] { "audit", "orders" }));
            Assert.That(topics[0].Value(E.TotalLagDelta), Is.EqualTo(10L));
            Assert.That(topics[0].Value(E.LagRate), Is.EqualTo(1.0));
            Assert.That(topics[1].Value(E.TopicLag), Is.EqualTo(10L));
            Assert.That(topics[1].Value(E.LagRate), Is.EqualTo(-2.0));
            Assert.That(topics[1].Value(E.CatchUpSeconds), Is.EqualTo(5.0));
            Assert.That(second.Details.Count(d => d.Kind == ConsumerStatusEvent.PartitionDetailKind), Is.EqualTo(3), "partitions stay");
        });
    }

    [Test]
    public async Task PartialReport_GetsNoTopicTotals_ButItsGroupRateComparesWithAnyEarlierReport()
    {
        var (plugin, _) = Plugin();
        await EnrichAsync(plugin, Report("m1", T0, 100, full: true, ("orders", 100)));

        var partial = await EnrichAsync(plugin, Report("m2", T0.AddSeconds(20), 140, full: false, ("orders", 140)));
        var full = await EnrichAsync(plugin, Report("m3", T0.AddSeconds(40), 180, full: true, ("orders", 180)));

        Assert.That(partial.Details.Where(d => d.Kind == E.TopicDetailKind), Is.Empty);
        Assert.That(partial.Value(E.LagRate), Is.EqualTo(2.0));

        // The full report's topics compare with the previous full report (40 s before), not with the partial one.
        var orders = full.Details.Single(d => d.Kind == E.TopicDetailKind);
        Assert.That(orders.Value(E.TotalLagDelta), Is.EqualTo(80L));
        Assert.That(orders.Value(E.LagRate), Is.EqualTo(2.0));
    }

    [Test]
    public async Task SameGroupNameInTwoClusters_KeepsSeparateHistories()
    {
        var (plugin, _) = Plugin();
        await EnrichAsync(plugin, Report("a1", T0, 100, cluster: "east"));
        await EnrichAsync(plugin, Report("b1", T0.AddSeconds(5), 1000, cluster: "west"));

        var east = await EnrichAsync(plugin, Report("a2", T0.AddSeconds(10), 110, cluster: "east"));

        Assert.That(east.Value(E.TotalLagDelta), Is.EqualTo(10L));
    }

    [Test]
    public async Task ReplayedMessage_IsComparedWithWhatPrecededIt_AndIsNotEnrichedTwice()
    {
        var (plugin, _) = Plugin();
        await EnrichAsync(plugin, Report("m1", T0, 100));
        var once = await EnrichAsync(plugin, Report("m2", T0.AddSeconds(10), 150));

        var message = new DeliveredMessage(once, "enrich");
        await plugin.HandleAsync(message, CancellationToken.None);
        var twice = message.Data;

        Assert.That(twice.Value(E.TotalLagDelta), Is.EqualTo(50L));
        Assert.That(twice.TraitNames().Count(n => n == E.TotalLagDelta), Is.EqualTo(1));
        Assert.That(twice.TraitNames(), Is.EqualTo(once.TraitNames()));
    }

    [Test]
    public async Task OutOfOrderReport_GetsNoRate_AndDoesNotMoveTheHistoryBack()
    {
        var (plugin, _) = Plugin();
        await EnrichAsync(plugin, Report("m1", T0, 100));
        await EnrichAsync(plugin, Report("m3", T0.AddSeconds(20), 300));

        var late = await EnrichAsync(plugin, Report("m2", T0.AddSeconds(10), 200));
        var next = await EnrichAsync(plugin, Report("m4", T0.AddSeconds(30), 330));

        Assert.That(late.Value(E.LagRate), Is.Null);
        Assert.That(next.Value(E.TotalLagDelta), Is.EqualTo(30L), "compared with m3, the latest");
    }

    [Test]
    public async Task ReportsCloserThanMinInterval_OrFartherThanStateTtl_GetNoRate()
    {
        var (plugin, _) = Plugin(("min_interval", "5s"), ("state_ttl", "10m"));
        await EnrichAsync(plugin, Report("m1", T0, 100));

        var tooClose = await EnrichAsync(plugin, Report("m2", T0.AddSeconds(2), 110));
        var tooLate = await EnrichAsync(plugin, Report("m3", T0.AddMinutes(30), 120));
        var fine = await EnrichAsync(plugin, Report("m4", T0.AddMinutes(30).AddSeconds(10), 130));

        Assert.That(tooClose.Value(E.LagRate), Is.Null);
        Assert.That(tooLate.Value(E.LagRate), Is.Null);
        Assert.That(fine.Value(E.LagRate), Is.EqualTo(1.0));
    }

    [Test]
    public async Task OtherEvents_AndStatusOnlyReports_PassUnchanged()
    {
        var (plugin, _) = Plugin();
        var other = new Event { MessageId = "x", EventType = "hello.greeting", Generated = T0, Traits = [Trait.String("greeting", "hi")] };
        var statusOnly = Reports.Event(BurrowBodies.NotifierPost);

        var otherMessage = new DeliveredMessage(other, "enrich");
        var statusMessage = new DeliveredMessage(statusOnly, "enrich");
        await plugin.HandleAsync(otherMessage, CancellationToken.None);
        await plugin.HandleAsync(statusMessage, CancellationToken.None);

        Assert.That(otherMessage.Data, Is.SameAs(other));
        Assert.That(statusMessage.Data, Is.SameAs(statusOnly));
    }

    [Test]
    public async Task WhatAnotherEnrichHandlerAdded_IsKept()
    {
        var (plugin, _) = Plugin();
        await EnrichAsync(plugin, Report("m1", T0, 100));
        var report = Report("m2", T0.AddSeconds(10), 200);
        var message = new DeliveredMessage(report, "enrich");
        message.UpdateData(e => new Event
        {
            MessageId = e.MessageId,
            EventType = e.EventType,
            Generated = e.Generated,
            Traits = [.. e.Traits, Trait.String("team", "payments")],
            Details = e.Details,
            Raw = e.Raw,
        });

        await plugin.HandleAsync(message, CancellationToken.None);

        Assert.That(message.Data.Value("team"), Is.EqualTo("payments"));
        Assert.That(message.Data.Value(E.TotalLagDelta), Is.EqualTo(100L));
    }

    [Test]
    public async Task BeyondMaxGroups_NewGroupsGetNoRate_UntilIdleGroupsExpire()
    {
        var time = new FakeTimeProvider(T0);
        var (plugin, _) = Plugin(time, ("max_groups", 1), ("state_ttl", "1m"));
        await EnrichAsync(plugin, Report("a1", T0, 100, group: "a"));
        await EnrichAsync(plugin, Report("b1", T0, 100, group: "b"));

        var b = await EnrichAsync(plugin, Report("b2", T0.AddSeconds(10), 110, group: "b"));
        time.Advance(TimeSpan.FromMinutes(2));
        await EnrichAsync(plugin, Report("b3", T0.AddMinutes(2), 120, group: "b"));
        var bAfter = await EnrichAsync(plugin, Report("b4", T0.AddMinutes(2).AddSeconds(10), 130, group: "b"));

        Assert.That(b.Value(E.LagRate), Is.Null, "no room for group b while a is remembered");
        Assert.That(bAfter.Value(E.LagRate), Is.EqualTo(1.0), "a expired, b is remembered now");
    }

    [TestCase("state_ttl", "0s")]
    [TestCase("min_interval", "often")]
    [TestCase("max_groups", 0)]
    public void BadValue_IsAProblemNamingTheKey(string key, object value)
    {
        var config = TestContexts.Config("burrow.enrich", (key, value));

        _ = new BurrowEnrichPlugin(TestContexts.Context("burrow.enrich", config));

        Assert.That(config.Problems.Select(p => p.ToString()), Has.Some.Contains("burrow.enrich." + key));
    }

    [Test]
    public void WebhookKeysInheritedFromBurrowTable_AreNotUnknownKeys()
    {
        var config = TestContexts.Config("burrow.enrich", ("max_body", "2MiB"), ("karrot_compatible_errors", true), ("state_ttl", "2h"));

        _ = new BurrowEnrichPlugin(TestContexts.Context("burrow.enrich", config));

        Assert.That(config.Problems, Is.Empty);
        Assert.That(config.FindUnknownKeys(), Is.Empty);
    }

    private static (BurrowEnrichPlugin Plugin, FakeTimeProvider Time) Plugin(params (string Key, object Value)[] config) =>
        Plugin(new FakeTimeProvider(T0), config);

    private static (BurrowEnrichPlugin Plugin, FakeTimeProvider Time) Plugin(FakeTimeProvider time, params (string Key, object Value)[] config)
    {
        var section = TestContexts.Config("burrow.enrich", config);
        var plugin = new BurrowEnrichPlugin(TestContexts.Context("burrow.enrich", section, time: time));
        Assert.That(section.Problems, Is.Empty);
        return (plugin, time);
    }

    private static async Task<Event> EnrichAsync(BurrowEnrichPlugin plugin, Event report)
    {
        var message = new DeliveredMessage(report, "enrich");
        await plugin.HandleAsync(message, CancellationToken.None);
        return message.Data;
    }

    private static Event Report(
        string id, DateTimeOffset at, long totalLag, bool full = false, params (string Topic, long Lag)[] partitions) =>
        Report(id, at, totalLag, "prod-east", "orders-enricher", full, partitions);

    private static Event Report(string id, DateTimeOffset at, long totalLag, string cluster = "prod-east", string group = "orders-enricher") =>
        Report(id, at, totalLag, cluster, group, full: false, []);

    private static Event Report(
        string id, DateTimeOffset at, long totalLag, string cluster, string group, bool full, (string Topic, long Lag)[] partitions) => new()
    {
        MessageId = id,
        EventType = ConsumerStatusEvent.EventType,
        Generated = at,
        Traits =
        [
            Trait.String(ConsumerStatusTraits.Cluster, cluster),
            Trait.String(ConsumerStatusTraits.Group, group),
            Trait.Integer(ConsumerStatusTraits.TotalLag, totalLag),
            Trait.String(ConsumerStatusTraits.Report, full ? ConsumerStatusEvent.FullReport : ConsumerStatusEvent.PartialReport),
        ],
        Details =
        [
            .. partitions.Select((p, i) => new EventDetail(
                ConsumerStatusEvent.PartitionDetailKind,
                [Trait.String(PartitionTraits.Topic, p.Topic), Trait.Integer(PartitionTraits.Partition, i), Trait.Integer(PartitionTraits.CurrentLag, p.Lag)])),
        ],
    };
}
