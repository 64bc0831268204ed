using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Prometheus.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Prometheus.Tests.Lag;

/// <summary>Consumer-status events in, lag series out, read back by scraping the plugin on a real Kestrel server.</summary>
[TestFixture]
public sealed class LagSeriesTests
{
    private static readonly DateTimeOffset IncidentStart = new(2024, 6, 10, 6, 22, 35, TimeSpan.Zero);
    private static readonly (string, string)[] OrdersKarrot = [("cluster", "prod-east"), ("consumer", "orders-enricher")];
    private static readonly (string, string)[] Orders = [("cluster", "prod-east"), ("consumer_group", "orders-enricher")];

    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp() => _time = new FakeTimeProvider(IncidentStart.AddMinutes(5));

    [Test]
    [CancelAfter(30_000)]
    public async Task Event_SetsKarrotConsumerLagToTotalLag_WithKarrotsHelpText(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);

        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Value("karrot_consumer_lag", OrdersKarrot), Is.EqualTo(8785));
        Assert.That(scrape.Families["karrot_consumer_lag"].Help, Is.EqualTo("Total lag accumulated by the consumer"));
        Assert.That(scrape.Families["karrot_consumer_lag"].Type, Is.EqualTo("gauge"));
        Assert.That(scrape.Named("karrot_consumer_lag").Single().Labels.Keys, Is.EquivalentTo(new[] { "cluster", "consumer" }), "no pid label");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Event_SetsBurrowExporterSeries_ForTheGroupAndEachListedPartition(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);

        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        var scrape = await host.ScrapeAsync();
        (string, string)[] p1 = [.. Orders, ("topic", "orders"), ("partition", "1")];
        (string, string)[] p4 = [.. Orders, ("topic", "orders"), ("partition", "4")];
        Assert.Multiple(() =>
        {
            Assert.That(scrape.Value("burrow_kafka_consumer_lag_total", Orders), Is.EqualTo(8785));
            Assert.That(scrape.Value("burrow_kafka_consumer_status", Orders), Is.EqualTo(2), "WARN");
            Assert.That(scrape.Value("burrow_kafka_consumer_max_lag", Orders), Is.EqualTo(4810));
            Assert.That(scrape.Value("burrow_kafka_consumer_complete", Orders), Is.EqualTo(1));
            Assert.That(scrape.Value("burrow_kafka_consumer_last_event_timestamp_seconds", Orders), Is.EqualTo(IncidentStart.ToUnixTimeSeconds()));
            Assert.That(scrape.Value("burrow_kafka_consumer_partition_lag", p1), Is.EqualTo(4810));
            Assert.That(scrape.Value("burrow_kafka_consumer_partition_lag", p4), Is.EqualTo(3920));
            Assert.That(scrape.Value("burrow_kafka_consumer_current_offset", p1), Is.EqualTo(5013400));
            Assert.That(scrape.Value("burrow_kafka_topic_partition_status", p4), Is.EqualTo(2));
            Assert.That(scrape.Named("burrow_kafka_consumer_partition_lag"), Has.Count.EqualTo(2), "only the partitions the webhook listed");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task PartialReport_CountsPartitionsByStatus_OkBeingTheRestOfPartitionCount(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);

        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        var scrape = await host.ScrapeAsync();
        Assert.Multiple(() =>
        {
            Assert.That(scrape.Value("burrow_kafka_consumer_partitions", [.. Orders, ("status", "OK")]), Is.EqualTo(4));
            Assert.That(scrape.Value("burrow_kafka_consumer_partitions", [.. Orders, ("status", "WARN")]), Is.EqualTo(2));
            Assert.That(scrape.Value("burrow_kafka_consumer_partitions", [.. Orders, ("status", "STOP")]), Is.Zero);
            Assert.That(scrape.Value("burrow_kafka_consumer_partitions", [.. Orders, ("status", "STALL")]), Is.Zero);
            Assert.That(scrape.Value("burrow_kafka_consumer_partitions", [.. Orders, ("status", "REWIND")]), Is.Zero);
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task StatusOnlyReport_UpdatesStatus_AndKeepsTheLastLag(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        // Burrow sent null for totallag and maxlag: those series keep their values, only the status changes.
        await host.HandleAsync(ConsumerStatus.For("prod-east", "orders-enricher").Status("ERR").Build());

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Value("burrow_kafka_consumer_status", Orders), Is.EqualTo(3));
        Assert.That(scrape.Value("karrot_consumer_lag", OrdersKarrot), Is.EqualTo(8785));
        Assert.That(scrape.Value("burrow_kafka_consumer_max_lag", Orders), Is.EqualTo(4810));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ReportWithoutCluster_IsExportedWithAnEmptyClusterLabel(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);

        // LinkedIn's default POST template carries the group and its status, no cluster and no lag.
        await host.HandleAsync(ConsumerStatus.For(null, "orders-enricher").Status("WARN").Partition("orders", 1, "WARN", 4810).Build());

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Value("burrow_kafka_consumer_status", ("cluster", string.Empty), ("consumer_group", "orders-enricher")), Is.EqualTo(2));
        Assert.That(scrape.Named("karrot_consumer_lag"), Is.Empty, "no lag was reported");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task FullReport_RemovesThePartitionsItLeftOut(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);
        await host.HandleAsync(ConsumerStatus.For("prod-east", "orders-enricher").Full().Status("OK").TotalLag(30)
            .Partition("orders", 0, "OK", 10, 1, 100).Partition("orders", 1, "OK", 10, 1, 200).Partition("orders", 2, "OK", 10, 1, 300).Build());

        // Partition 2 was reassigned away (or the topic shrank): the next full report does not list it.
        await host.HandleAsync(ConsumerStatus.For("prod-east", "orders-enricher").Full().Status("OK").TotalLag(20)
            .Partition("orders", 0, "OK", 10, 1, 110).Partition("orders", 1, "OK", 10, 1, 210).Build());

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Named("burrow_kafka_consumer_partition_lag").Select(s => s.Labels["partition"]), Is.EquivalentTo(new[] { "0", "1" }));
        Assert.That(scrape.Named("burrow_kafka_consumer_current_offset").Select(s => s.Labels["partition"]), Is.EquivalentTo(new[] { "0", "1" }));
        Assert.That(scrape.Named("burrow_kafka_topic_partition_status").Select(s => s.Labels["partition"]), Is.EquivalentTo(new[] { "0", "1" }));
        Assert.That(scrape.Value("gordon_prometheus_series_removed_total", ("kind", "partition"), ("reason", "vanished")), Is.EqualTo(1));
        Assert.That(scrape.Value("burrow_kafka_consumer_partitions", [.. Orders, ("status", "OK")]), Is.EqualTo(2));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task PartialReport_KeepsThePartitionsItLeftOut_AndMarksThemOk(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        // A webhook lists only the partitions that are not OK: partition 4 recovered, partition 1 did not.
        await host.HandleAsync(ConsumerStatus.For("prod-east", "orders-enricher").Status("WARN").PartitionCount(6).TotalLag(5000)
            .Incident("3f0b6c1e", IncidentStart, ConsumerStatusEvent.IncidentOpen)
            .Partition("orders", 1, "WARN", 4900, 5001200, 5013500).Build());

        var scrape = await host.ScrapeAsync();
        (string, string)[] p4 = [.. Orders, ("topic", "orders"), ("partition", "4")];
        Assert.That(scrape.Find("burrow_kafka_consumer_partition_lag", p4), Is.Not.Null, "a partial report never removes a partition");
        Assert.That(scrape.Value("burrow_kafka_topic_partition_status", p4), Is.EqualTo(1), "left out of a partial report = OK");
        Assert.That(scrape.Value("burrow_kafka_consumer_partitions", [.. Orders, ("status", "OK")]), Is.EqualTo(5));
        Assert.That(scrape.Value("burrow_kafka_consumer_partitions", [.. Orders, ("status", "WARN")]), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task GroupNotReportedForSeriesTtl_IsRemoved(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken, ("series_ttl", "10m"));
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());
        await host.HandleAsync(ConsumerStatus.For("prod-east", "billing").Status("OK").TotalLag(7).Build());

        _time.Advance(TimeSpan.FromMinutes(6));
        await host.HandleAsync(ConsumerStatus.For("prod-east", "billing").Status("OK").TotalLag(8).Build());
        var before = await host.ScrapeAsync();
        _time.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(1));
        var after = await host.ScrapeAsync();

        Assert.That(before.Find("karrot_consumer_lag", OrdersKarrot), Is.Not.Null, "10 minutes not yet passed");
        Assert.Multiple(() =>
        {
            foreach (var family in after.Families.Values.Where(f => f.Name.StartsWith("karrot_consumer", StringComparison.Ordinal) || f.Name.StartsWith("burrow_", StringComparison.Ordinal)))
            {
                Assert.That(
                    family.Samples.Where(s => s.Labels.Values.Contains("orders-enricher")), Is.Empty, $"{family.Name} still has orders-enricher");
            }

            Assert.That(after.Value("karrot_consumer_lag", ("consumer", "billing")), Is.EqualTo(8), "reported 4 minutes ago");
            Assert.That(after.Value("gordon_prometheus_series_removed_total", ("kind", "group"), ("reason", "ttl")), Is.EqualTo(1));
            Assert.That(after.Value("gordon_prometheus_tracked", ("kind", "group")), Is.EqualTo(1));
            Assert.That(after.Value("gordon_prometheus_tracked", ("kind", "partition")), Is.Zero);
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task GroupNotReportedForSeriesTtl_IsRemovedByTheTimer_WithoutAScrape(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken, ("series_ttl", "2m"));
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());
        var before = host.Plugin.TrackedLabelSets;

        // The sweep timer runs every ttl/4: no scrape is needed to free the series (push mode, a Prometheus that is down).
        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(31));

        Assert.That(before, Is.EqualTo(3), "the group and its two partitions");
        Assert.That(host.Plugin.TrackedLabelSets, Is.Zero);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task PartitionNotListedForSeriesTtl_IsRemoved_WhileItsGroupStays(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken, ("series_ttl", "10m"));
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        // Partition 4 recovers (left out of every later webhook), partition 1 stays WARN.
        for (var minute = 0; minute < 12; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            await host.HandleAsync(ConsumerStatus.For("prod-east", "orders-enricher").Status("WARN").PartitionCount(6).TotalLag(4900)
                .Partition("orders", 1, "WARN", 4900).Build());
        }

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Named("burrow_kafka_consumer_partition_lag").Select(s => s.Labels["partition"]), Is.EquivalentTo(new[] { "1" }));
        Assert.That(scrape.Value("karrot_consumer_lag", OrdersKarrot), Is.EqualTo(4900));
        Assert.That(scrape.Value("gordon_prometheus_series_removed_total", ("kind", "partition"), ("reason", "ttl")), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task SeriesTtlZero_KeepsSeriesForever(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken, ("series_ttl", 0L));
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        _time.Advance(TimeSpan.FromDays(30));

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Value("karrot_consumer_lag", OrdersKarrot), Is.EqualTo(8785));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task MaxSeries_RefusesNewGroupsAndPartitions_CountsThem_AndFreesRoomWhenSeriesExpire(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken, ("max_series", 5L), ("series_ttl", "10m"));

        // Group + 2 partitions = 3; the second group gets 1 + 1 partition; its second partition and a third group are refused.
        await host.HandleAsync(ConsumerStatus.For("c", "g1").Status("WARN").TotalLag(2).Partition("t", 0, "WARN", 1).Partition("t", 1, "WARN", 1).Build());
        _time.Advance(TimeSpan.FromMinutes(6));
        await host.HandleAsync(ConsumerStatus.For("c", "g2").Status("WARN").TotalLag(2).Partition("t", 0, "WARN", 1).Partition("t", 1, "WARN", 1).Build());
        await host.HandleAsync(ConsumerStatus.For("c", "g3").Status("WARN").TotalLag(2).Build());

        var full = await host.ScrapeAsync();
        Assert.Multiple(() =>
        {
            Assert.That(full.Named("karrot_consumer_lag").Select(s => s.Labels["consumer"]), Is.EquivalentTo(new[] { "g1", "g2" }));
            Assert.That(full.Named("burrow_kafka_consumer_partition_lag"), Has.Count.EqualTo(3));
            Assert.That(full.Value("gordon_prometheus_series_refused_total", ("kind", "group")), Is.EqualTo(1));
            Assert.That(full.Value("gordon_prometheus_series_refused_total", ("kind", "partition")), Is.EqualTo(1));
            Assert.That(full.Value("gordon_prometheus_events_skipped_total", ("reason", "max_series")), Is.EqualTo(1));
            Assert.That(host.Plugin.GetHealth().State, Is.EqualTo(PluginHealthState.Degraded));
            Assert.That(host.Plugin.GetHealth().Detail, Does.Contain("max_series (5)"));
            Assert.That(host.Logs.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("max_series (5)", StringComparison.Ordinal)), Is.True);
        });

        // g1 expires, which frees 3: g3 fits now.
        _time.Advance(TimeSpan.FromMinutes(5));
        await host.HandleAsync(ConsumerStatus.For("c", "g3").Status("WARN").TotalLag(2).Build());
        var later = await host.ScrapeAsync();
        Assert.That(later.Named("karrot_consumer_lag").Select(s => s.Labels["consumer"]), Is.EquivalentTo(new[] { "g2", "g3" }));
        Assert.That(host.Plugin.GetHealth().State, Is.EqualTo(PluginHealthState.Healthy));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task OpenIncident_ExportsOpenGaugeAndItsDurationSoFar(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        var first = await host.ScrapeAsync();
        _time.Advance(TimeSpan.FromMinutes(2));
        var later = await host.ScrapeAsync();

        Assert.That(first.Value("burrow_kafka_consumer_incident_open", Orders), Is.EqualTo(1));
        Assert.That(first.Value("burrow_kafka_consumer_incident_duration_seconds", Orders), Is.EqualTo(300), "opened 5 minutes before now");
        Assert.That(later.Value("burrow_kafka_consumer_incident_duration_seconds", Orders), Is.EqualTo(420), "counts on between reports");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ClosedIncident_RemovesTheIncidentSeries_AndKeepsTheLag(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        await host.HandleAsync(ConsumerStatus.For("prod-east", "orders-enricher").Status("OK").TotalLag(143).PartitionCount(6)
            .Incident("3f0b6c1e-9a4d-4c2b-8e7f-5d1a2b3c4d5e", IncidentStart, ConsumerStatusEvent.IncidentClosed).Build());

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Named("burrow_kafka_consumer_incident_open"), Is.Empty);
        Assert.That(scrape.Named("burrow_kafka_consumer_incident_duration_seconds"), Is.Empty);
        Assert.That(scrape.Value("karrot_consumer_lag", OrdersKarrot), Is.EqualTo(143));
        Assert.That(scrape.Value("burrow_kafka_consumer_status", Orders), Is.EqualTo(1));
    }

    [TestCase("webhook", false)]
    [TestCase("poller", true)]
    [CancelAfter(30_000)]
    public async Task ReportWithoutIncident_ClosesAnOpenIncident_UnlessItCameFromThePoller(string source, bool stillOpen, CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        // Burrow names the open incident in every notification, so one without an id means the close was lost.
        await host.HandleAsync(ConsumerStatus.For("prod-east", "orders-enricher").Source(source).Status("OK").TotalLag(0).Build());

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Find("burrow_kafka_consumer_incident_open", Orders), stillOpen ? Is.Not.Null : Is.Null);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task EventWithoutGroup_UpdatesNothing_IsCounted_AndLoggedNamingTheTrait(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);

        var @event = ConsumerStatus.WithoutGroup("prod-east").Status("OK").TotalLag(5).Build();
        await host.HandleAsync(@event);

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Named("karrot_consumer_lag"), Is.Empty);
        Assert.That(scrape.Value("gordon_prometheus_events_skipped_total", ("reason", "no_group")), Is.EqualTo(1));
        Assert.That(
            host.Logs.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains(@event.MessageId, StringComparison.Ordinal) && e.Message.Contains("'group'", StringComparison.Ordinal)),
            Is.True);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task OtherEventTypes_AreIgnored(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);

        await host.HandleAsync(new Event
        {
            MessageId = "hello-1",
            EventType = "hello.greeting",
            Generated = _time.GetUtcNow(),
            Traits = [Trait.String("group", "not-a-consumer-group"), Trait.Integer("totallag", 5)],
        });

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Named("karrot_consumer_lag"), Is.Empty);
        Assert.That(scrape.Value("gordon_prometheus_events_skipped_total", ("reason", "no_group")), Is.Zero);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task KarrotNamesOff_ExportsNoKarrotSeries(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken, ("karrot_names", false));
        host.Relay.HandlerCall("cloudwatch", "publish");
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Families.Keys.Where(k => k.StartsWith("karrot_", StringComparison.Ordinal)), Is.Empty);
        Assert.That(scrape.Value("burrow_kafka_consumer_lag_total", Orders), Is.EqualTo(8785));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task BurrowNamesOff_ExportsOnlyKarrotsLag(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken, ("burrow_names", false));
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Families.Keys.Where(k => k.StartsWith("burrow_", StringComparison.Ordinal)), Is.Empty);
        Assert.That(scrape.Value("karrot_consumer_lag", OrdersKarrot), Is.EqualTo(8785));
        Assert.That(scrape.Value("gordon_prometheus_tracked", ("kind", "partition")), Is.Zero, "partitions are not tracked without their series");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ConcurrentEventsAndScrapes_LoseNoGroup_AndCountEachOnce(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);
        const int Groups = 400;

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(
            async () =>
            {
                for (var i = 0; i < Groups; i++)
                {
                    await host.HandleAsync(ConsumerStatus.For("c", "g" + i).Status("WARN").TotalLag(i)
                        .Partition("t", w, "WARN", i).Build());
                }
            },
            cancellationToken));
        var scraper = Task.Run(
            async () =>
            {
                for (var i = 0; i < 5; i++)
                {
                    _ = await host.ScrapeAsync();
                }
            },
            cancellationToken);
        await Task.WhenAll([.. writers, scraper]);

        var scrape = await host.ScrapeAsync();
        Assert.That(scrape.Named("karrot_consumer_lag"), Has.Count.EqualTo(Groups));
        Assert.That(scrape.Named("burrow_kafka_consumer_partition_lag"), Has.Count.EqualTo(Groups * 4));
        Assert.That(scrape.Value("gordon_prometheus_tracked", ("kind", "group")), Is.EqualTo(Groups));
        Assert.That(scrape.Value("gordon_prometheus_tracked", ("kind", "partition")), Is.EqualTo(Groups * 4));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ReportAfterAScrape_ShowsInTheNextScrape_InEveryFamily(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken);
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());
        var first = await host.ScrapeAsync();

        // The second scrape must not reuse the lines the first rendered for the group.
        await host.HandleAsync(ConsumerStatus.For("prod-east", "orders-enricher").Status("ERR").PartitionCount(6).TotalLag(9100)
            .Partition("orders", 1, "ERR", 5100).Partition("orders", 4, "WARN", 4000).Build());
        var second = await host.ScrapeAsync();

        (string, string)[] p1 = [.. Orders, ("topic", "orders"), ("partition", "1")];
        Assert.Multiple(() =>
        {
            Assert.That(first.Value("karrot_consumer_lag", OrdersKarrot), Is.EqualTo(8785));
            Assert.That(second.Value("karrot_consumer_lag", OrdersKarrot), Is.EqualTo(9100));
            Assert.That(second.Value("burrow_kafka_consumer_lag_total", Orders), Is.EqualTo(9100));
            Assert.That(second.Value("burrow_kafka_consumer_status", Orders), Is.EqualTo(3), "ERR");
            Assert.That(second.Value("burrow_kafka_consumer_partition_lag", p1), Is.EqualTo(5100));
            Assert.That(second.Value("burrow_kafka_topic_partition_status", p1), Is.EqualTo(3));
            Assert.That(second.Value("burrow_kafka_consumer_partitions", [.. Orders, ("status", "WARN")]), Is.EqualTo(1), "was 2");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task PartitionExpiringAfterAScrape_IsGoneFromTheNextScrape(CancellationToken cancellationToken)
    {
        await using var host = await StartAsync(cancellationToken, ("series_ttl", "10m"));
        await host.HandleAsync(ConsumerStatus.OrdersEnricherWarn().Build());
        _time.Advance(TimeSpan.FromMinutes(9));
        await host.HandleAsync(ConsumerStatus.For("prod-east", "orders-enricher").Status("WARN").PartitionCount(6).TotalLag(4900)
            .Partition("orders", 1, "WARN", 4900).Build());
        var before = await host.ScrapeAsync();

        // Only the sweep changes the group now: partition 4 was last listed 10 minutes and 1 second ago.
        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var after = await host.ScrapeAsync();

        Assert.That(before.Named("burrow_kafka_consumer_partition_lag").Select(s => s.Labels["partition"]), Is.EquivalentTo(new[] { "1", "4" }));
        Assert.That(after.Named("burrow_kafka_consumer_partition_lag").Select(s => s.Labels["partition"]), Is.EquivalentTo(new[] { "1" }));
        Assert.That(after.Named("burrow_kafka_consumer_current_offset").Select(s => s.Labels["partition"]), Is.EquivalentTo(new[] { "1" }));
    }

    private Task<PluginHost> StartAsync(CancellationToken cancellationToken, params (string Key, object Value)[] config) =>
        PluginHost.StartAsync(TestConfig.Prometheus([("runtime_metrics", false), .. config]), _time, cancellationToken);
}
