using System.Net;
using System.Net.Sockets;
using Gordon.Abstractions.Events.ConsumerLag;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Burrow.Poller;
using Gordon.Plugins.Burrow.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using T = Gordon.Abstractions.Events.ConsumerLag.ConsumerStatusTraits;

namespace Gordon.Plugins.Burrow.Tests.Poller;

public sealed class BurrowPollerTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task PollOnce_EmitsOneFullReportPerGroup_WithEveryPartition(CancellationToken cancellationToken)
    {
        await using var burrow = await FakeBurrow.StartAsync(cancellationToken);
        burrow.AddGroup("prod-east", "billing", 5);
        burrow.AddGroup("prod-east", "orders", 40);
        burrow.AddGroup("prod-west", "billing", 7);
        var (plugin, sink, _) = await StartPollerAsync(burrow, cancellationToken);

        var summary = await plugin.PollOnceAsync(cancellationToken);

        Assert.That(summary, Is.EqualTo(new PollSummary(true, 3, 3, 0, [])).Using<PollSummary>(SameCounts));
        var events = sink.Events.OrderBy(e => (string)e.Value(T.Cluster)!).ThenBy(e => (string)e.Value(T.Group)!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => $"{e.Value(T.Cluster)}/{e.Value(T.Group)}={e.Value(T.TotalLag)}"),
                Is.EqualTo(new[] { "prod-east/billing=5", "prod-east/orders=40", "prod-west/billing=7" }));
            Assert.That(events.Select(e => e.Value(T.Source)), Is.All.EqualTo("poller"));
            Assert.That(events.Select(e => e.Value(T.Report)), Is.All.EqualTo(ConsumerStatusEvent.FullReport));
            Assert.That(events.Select(e => e.Details.Count), Is.All.EqualTo(2));
            Assert.That(events.Select(e => e.MessageId), Is.Unique);
            Assert.That(plugin.GetHealth().State, Is.EqualTo(PluginHealthState.Healthy));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ClusterFilter_AndGroupAllowAndDenyRegexes_ChooseWhatIsPolled(CancellationToken cancellationToken)
    {
        await using var burrow = await FakeBurrow.StartAsync(cancellationToken);
        burrow.AddGroup("prod-east", "orders-enricher", 1);
        burrow.AddGroup("prod-east", "orders-console-123", 1);
        burrow.AddGroup("prod-east", "billing", 1);
        burrow.AddGroup("staging", "orders-enricher", 1);
        var (plugin, sink, _) = await StartPollerAsync(
            burrow, cancellationToken, ("clusters", new[] { "prod-east" }), ("group_allowlist", "^orders-"), ("group_denylist", "console"));

        await plugin.PollOnceAsync(cancellationToken);

        Assert.That(sink.Events.Select(e => $"{e.Value(T.Cluster)}/{e.Value(T.Group)}"), Is.EqualTo(new[] { "prod-east/orders-enricher" }));
        Assert.That(burrow.RequestCount("/v3/kafka/staging/consumer"), Is.Zero);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task NotFoundGroup_IsSkipped_TheOthersAreEmitted(CancellationToken cancellationToken)
    {
        await using var burrow = await FakeBurrow.StartAsync(cancellationToken);
        burrow.AddGroup("c", "alive", 1);
        burrow.ListedButGone["c/ghost"] = true;
        var (plugin, sink, metrics) = await StartPollerAsync(burrow, cancellationToken);

        var summary = await plugin.PollOnceAsync(cancellationToken);

        Assert.That(burrow.RequestCount("/v3/kafka/c/consumer/ghost/lag"), Is.EqualTo(1), "a 404 is an answer, not retried");
        Assert.That(summary.NotFound, Is.EqualTo(1));
        Assert.That(summary.Errors, Is.Empty);
        Assert.That(sink.Events.Select(e => e.Value(T.Group)), Is.EqualTo(new[] { "alive" }));
        Assert.That(metrics.Count(PollerMetricNames.Groups, PollerMetricNames.OutcomeTag, "not_found"), Is.EqualTo(1));
        Assert.That(plugin.GetHealth().State, Is.EqualTo(PluginHealthState.Healthy));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ServerErrors_AreRetriedWithBackoff_ThenTheGroupIsEmitted(CancellationToken cancellationToken)
    {
        await using var burrow = await FakeBurrow.StartAsync(cancellationToken);
        burrow.AddGroup("c", "g", 3);
        burrow.Failures["/v3/kafka/c/consumer/g/lag"] = 2;
        var (plugin, sink, _) = await StartPollerAsync(burrow, cancellationToken, ("retries", 2), ("retry_backoff", "10ms"));

        var summary = await plugin.PollOnceAsync(cancellationToken);

        Assert.That(summary.Errors, Is.Empty);
        Assert.That(sink.Events, Has.Count.EqualTo(1));
        Assert.That(burrow.RequestCount("/v3/kafka/c/consumer/g/lag"), Is.EqualTo(3));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task PersistentServerError_IsCountedAndShownInHealth_AndTheOtherGroupsAreEmitted(CancellationToken cancellationToken)
    {
        await using var burrow = await FakeBurrow.StartAsync(cancellationToken);
        burrow.AddGroup("c", "bad", 3);
        burrow.AddGroup("c", "good", 4);
        burrow.Failures["/v3/kafka/c/consumer/bad/lag"] = 1000;
        var (plugin, sink, metrics) = await StartPollerAsync(burrow, cancellationToken, ("retries", 1), ("retry_backoff", "10ms"));

        var summary = await plugin.PollOnceAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(summary.Errors.Single(), Does.Contain("c/bad").And.Contain("HTTP 500"));
            Assert.That(sink.Events.Select(e => e.Value(T.Group)), Is.EqualTo(new[] { "good" }));
            Assert.That(burrow.RequestCount("/v3/kafka/c/consumer/bad/lag"), Is.EqualTo(2));
            Assert.That(metrics.Count(PollerMetricNames.Groups, PollerMetricNames.OutcomeTag, "failed"), Is.EqualTo(1));
            Assert.That(plugin.GetHealth().State, Is.EqualTo(PluginHealthState.Degraded));
            Assert.That(plugin.GetHealth().Detail, Does.Contain("c/bad"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task SlowAnswer_TimesOut_WithoutHoldingUpTheOtherGroups(CancellationToken cancellationToken)
    {
        await using var burrow = await FakeBurrow.StartAsync(cancellationToken);
        burrow.AddGroup("c", "slow", 3);
        burrow.AddGroup("c", "fast", 4);
        burrow.Hanging["/v3/kafka/c/consumer/slow/lag"] = true;
        var (plugin, sink, _) = await StartPollerAsync(burrow, cancellationToken, ("timeout", "200ms"), ("retries", 0), ("concurrency", 2));

        var summary = await plugin.PollOnceAsync(cancellationToken);

        Assert.That(summary.Errors.Single(), Does.Contain("c/slow").And.Contain("no answer within 200ms"));
        Assert.That(sink.Events.Select(e => e.Value(T.Group)), Is.EqualTo(new[] { "fast" }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ClusterThatDisappears_IsSkipped_AndTheOtherClustersArePolled(CancellationToken cancellationToken)
    {
        await using var burrow = await FakeBurrow.StartAsync(cancellationToken);
        burrow.AddGroup("stays", "g", 1);
        burrow.AddGroup("goes", "g", 1);
        var (plugin, sink, _) = await StartPollerAsync(burrow, cancellationToken);
        var first = await plugin.PollOnceAsync(cancellationToken);

        burrow.Vanishing["goes"] = true;
        var second = await plugin.PollOnceAsync(cancellationToken);
        burrow.Clusters.TryRemove("goes", out _);
        var third = await plugin.PollOnceAsync(cancellationToken);

        Assert.That((first.Emitted, second.Emitted, third.Emitted), Is.EqualTo((2, 1, 1)));
        Assert.That(second.Errors, Is.Empty);
        Assert.That(sink.Events.Skip(2).Select(e => e.Value(T.Cluster)), Is.All.EqualTo("stays"));
        Assert.That(plugin.GetHealth().State, Is.EqualTo(PluginHealthState.Healthy));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task UnreachableBurrow_IsNotFatal_ItIsLoggedCountedAndShownUntilBurrowIsBack(CancellationToken cancellationToken)
    {
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var (plugin, sink, metrics) = await StartPollerAsync(url, cancellationToken, ("retries", 1), ("retry_backoff", "10ms"));

        var down = await plugin.PollOnceAsync(cancellationToken);
        var health = plugin.GetHealth();

        Assert.That(down.Reachable, Is.False);
        Assert.That(health.State, Is.EqualTo(PluginHealthState.Degraded));
        Assert.That(health.Detail, Does.Contain(url.ToString()).And.Contain("unreachable"));
        Assert.That(metrics.Count(PollerMetricNames.Requests, PollerMetricNames.OutcomeTag, "failed"), Is.EqualTo(1));
        Assert.That(sink.Events, Is.Empty);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task RunAsync_PollsAtOnce_ThenEveryInterval_AndStopsWhenCancelled(CancellationToken cancellationToken)
    {
        await using var burrow = await FakeBurrow.StartAsync(cancellationToken);
        burrow.AddGroup("c", "g", 1);
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 6, 10, 6, 0, 0, TimeSpan.Zero));
        var config = TestContexts.Config("burrow.poller", ("url", burrow.Address.ToString()), ("interval", "30s"));
        var sink = new RecordingSink();
        using var plugin = new BurrowPollerPlugin(TestContexts.Context("burrow.poller", config, sink, time: time));
        await plugin.StartAsync(cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var running = plugin.RunAsync(stop.Token);
        await sink.WaitForEventsAsync(1, cancellationToken);
        burrow.Clusters["c"]["g"] = 2;
        time.Advance(TimeSpan.FromSeconds(30));
        await sink.WaitForEventsAsync(2, cancellationToken);
        await stop.CancelAsync();
        await running;

        Assert.That(sink.Events.Select(e => e.Value(T.TotalLag)), Is.EqualTo(new[] { 1L, 2L }));
        Assert.That(sink.Events[1].Generated - sink.Events[0].Generated, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void MissingUrl_IsAProblem()
    {
        var config = TestContexts.Config("burrow.poller");

        _ = new BurrowPollerPlugin(TestContexts.Context("burrow.poller", config));

        Assert.That(config.Problems.Single().ToString(), Does.Contain("burrow.poller.url").And.Contain("required"));
    }

    [TestCase("url", "ftp://burrow")]
    [TestCase("url", "not a url")]
    [TestCase("interval", "0s")]
    [TestCase("concurrency", 0)]
    [TestCase("timeout", "soon")]
    [TestCase("group_allowlist", "orders-(")]
    [TestCase("clusters", "prod")]
    public void BadValue_IsAProblemNamingTheKey(string key, object value)
    {
        var config = key == "url"
            ? TestContexts.Config("burrow.poller", (key, value))
            : TestContexts.Config("burrow.poller", ("url", "http://127.0.0.1:8000"), (key, value));

        _ = new BurrowPollerPlugin(TestContexts.Context("burrow.poller", config));

        Assert.That(config.Problems.Select(p => p.ToString()), Has.Some.Contains("burrow.poller." + key));
    }

    [Test]
    public void WebhookKeysInheritedFromBurrowTable_AreNotUnknownKeys()
    {
        // What the daemon's resolver hands burrow.poller: [burrow]'s plain keys, then its own.
        var config = TestContexts.Config(
            "burrow.poller", ("max_body", "2MiB"), ("username", "u"), ("password", "p"), ("url", "http://127.0.0.1:8000"), ("interval", "10s"));

        _ = new BurrowPollerPlugin(TestContexts.Context("burrow.poller", config));

        Assert.That(config.Problems, Is.Empty);
        Assert.That(config.FindUnknownKeys(), Is.Empty);
    }

    [Test]
    public void TypoInThePollerTable_IsStillAnUnknownKey()
    {
        var config = TestContexts.Config("burrow.poller", ("url", "http://127.0.0.1:8000"), ("intervall", "10s"));

        _ = new BurrowPollerPlugin(TestContexts.Context("burrow.poller", config));

        Assert.That(config.FindUnknownKeys().Single().ToString(), Does.Contain("burrow.poller.intervall"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task UrlWithAPathPrefix_IsKept_AndA404ForTheClusterListIsReportedAsAWrongUrl(CancellationToken cancellationToken)
    {
        await using var burrow = await FakeBurrow.StartAsync(cancellationToken);
        var (plugin, _, _) = await StartPollerAsync(new Uri(burrow.Address, "/behind/proxy"), cancellationToken, ("retries", 0));

        var summary = await plugin.PollOnceAsync(cancellationToken);

        Assert.That(burrow.Requests, Does.Contain("/behind/proxy/v3/kafka"));
        Assert.That(summary.Reachable, Is.False);
        Assert.That(plugin.GetHealth().Detail, Does.Contain("HTTP 404"));
    }

    private static bool SameCounts(PollSummary a, PollSummary b) =>
        a.Reachable == b.Reachable && a.Groups == b.Groups && a.Emitted == b.Emitted && a.NotFound == b.NotFound && a.Errors.SequenceEqual(b.Errors);

    private static async Task<(BurrowPollerPlugin Plugin, RecordingSink Sink, RecordingMetricRelay Metrics)> StartPollerAsync(
        FakeBurrow burrow, CancellationToken cancellationToken, params (string Key, object Value)[] config) =>
        await StartPollerAsync(burrow.Address, cancellationToken, config);

    private static async Task<(BurrowPollerPlugin Plugin, RecordingSink Sink, RecordingMetricRelay Metrics)> StartPollerAsync(
        Uri url, CancellationToken cancellationToken, params (string Key, object Value)[] config)
    {
        var section = TestContexts.Config("burrow.poller", [("url", url.ToString()), .. config]);
        var sink = new RecordingSink();
        var metrics = new RecordingMetricRelay();
        var plugin = new BurrowPollerPlugin(TestContexts.Context("burrow.poller", section, sink, metrics));
        Assert.That(section.Problems, Is.Empty, "the test's config must be valid");
        await plugin.StartAsync(cancellationToken);
        return (plugin, sink, metrics);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
