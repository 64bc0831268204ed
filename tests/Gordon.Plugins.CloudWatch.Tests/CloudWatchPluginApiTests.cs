using System.Globalization;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.CloudWatch.Diagnostics;
using Gordon.Plugins.CloudWatch.Sending;
using Gordon.Plugins.CloudWatch.Tests.Support;

namespace Gordon.Plugins.CloudWatch.Tests;

/// <summary>The plugin in api mode against the fake CloudWatch, which verifies every signature and datum.</summary>
public sealed class CloudWatchPluginApiTests
{
    private FakeCloudWatch _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await FakeCloudWatch.StartAsync();

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    [CancelAfter(10_000)]
    public async Task Tick_SendsEveryDatumOfTheEvent_SignedForMonitoring(CancellationToken cancellationToken)
    {
        await using var harness = await PluginHarness.CreateAsync(_server);
        var at = PluginHarness.Start.AddSeconds(-5);

        await harness.HandleAsync(ConsumerEvents.Status(at, cluster: "prod-eu", group: "billing", totalLag: 601, maxLag: 400, partitions: 3, statusCode: 2));
        Assert.That(harness.Plugin.Buffered, Is.EqualTo(4), "buffered until the timer fires, not sent per event");
        await harness.TickAndFlushAsync(cancellationToken);

        var request = _server.Requests.Single();
        Assert.That(request.Problem, Is.Null);
        Assert.That(request.Signature.Valid, Is.True, request.Signature.Problem);
        Assert.That(request.Signature.Service, Is.EqualTo("monitoring"));
        Assert.That(request.Signature.SignedHeaders, Does.Contain("x-amz-content-sha256").And.Contain("content-type"));
        Assert.That(request.Form["Namespace"], Is.EqualTo("GumGum/Kafka/Burrow/ConsumerLag"));
        Assert.That(request.Datums.Select(d => (d.MetricName, d.Value)), Is.EquivalentTo(new[]
        {
            ("TotalLag", 601.0), ("MaxLag", 400.0), ("PartitionCount", 3.0), ("StatusCode", 2.0),
        }));
        foreach (var datum in request.Datums)
        {
            Assert.That(datum.Dimensions, Is.EqualTo(new KeyValuePair<string, string>[] { new("Cluster", "prod-eu"), new("ConsumerGroup", "billing") }));
            Assert.That(datum.Unit, Is.EqualTo("Count"));
            Assert.That(datum.Timestamp, Is.EqualTo(at), "the event's time, not the send time");
            Assert.That(datum.StorageResolution, Is.Null);
        }

        Assert.That(harness.Metrics.Sum(PluginMetrics.ApiCalls, ("reporter", "cloudwatch"), ("status", "200")), Is.EqualTo(1));
        Assert.That(harness.Metrics.Sum(PluginMetrics.DatumsSent), Is.EqualTo(4));
        Assert.That(harness.Metrics.Last(PluginMetrics.Buffered), Is.Zero);
        Assert.That(harness.Plugin.GetHealth(), Is.EqualTo(PluginHealth.Healthy));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task WrongSecret_FakeCloudWatchRefusesTheSignature_PluginUnhealthyAndKeepsTheDatums(CancellationToken cancellationToken)
    {
        await using var harness = await PluginHarness.CreateAsync(_server, credentials: PluginHarness.TestCredentials("a-wrong-secret"));

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));
        await harness.TickAndFlushAsync(cancellationToken);

        var request = _server.Requests.Single();
        Assert.That(request.Signature.Valid, Is.False);
        Assert.That(request.Status, Is.EqualTo(403));
        Assert.That(_server.Accepted, Is.Empty);
        Assert.That(harness.Plugin.GetHealth().State, Is.EqualTo(PluginHealthState.Unhealthy));
        Assert.That(harness.Plugin.GetHealth().Detail, Does.Contain("SignatureDoesNotMatch"));
        Assert.That(harness.Plugin.Buffered, Is.EqualTo(4), "a signing problem is not the data's fault: nothing is dropped");
        Assert.That(harness.Metrics.Sum(PluginMetrics.ApiCalls, ("status", "403")), Is.EqualTo(1));
        Assert.That(harness.Metrics.Sum(PluginMetrics.DatumsDropped), Is.Zero);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Throttling_ThenSuccess_RetriesAfterABackoffOnTheClock(CancellationToken cancellationToken)
    {
        var backoff = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var harness = await PluginHarness.CreateAsync(
            _server,
            new Dictionary<string, object> { ["backoff_initial"] = "2s", ["backoff_max"] = "1m" },
            sender: new SenderSeams { BackoffStarted = d => backoff.TrySetResult(d), Random = () => 0.5 });
        _server.Script(400, "Throttling", "Rate exceeded");

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));
        var flushed = harness.NextFlush();
        harness.Tick();
        var delay = await backoff.Task.WaitAsync(cancellationToken);

        Assert.That(delay, Is.EqualTo(TimeSpan.FromSeconds(1.5)), "equal jitter: half of 2 s fixed, half times 0.5");
        Assert.That(_server.Requests, Has.Count.EqualTo(1));
        Assert.That(flushed.IsCompleted, Is.False, "the retry waits for the clock");
        harness.Time.Advance(delay);
        await flushed.WaitAsync(cancellationToken);

        Assert.That(_server.Requests.Select(r => r.Status), Is.EqualTo(new[] { 400, 200 }));
        Assert.That(_server.AcceptedDatums, Has.Count.EqualTo(4));
        Assert.That(harness.Metrics.Sum(PluginMetrics.DatumsRetried), Is.EqualTo(4));
        Assert.That(harness.Metrics.Sum(PluginMetrics.ApiCalls, ("status", "400")), Is.EqualTo(1));
        Assert.That(harness.Metrics.Sum(PluginMetrics.ApiCalls, ("status", "200")), Is.EqualTo(1));
        Assert.That(harness.Plugin.GetHealth(), Is.EqualTo(PluginHealth.Healthy));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ValidationError400_IsNotRetried_AndIsLoggedWithAwsCodeAndMessage(CancellationToken cancellationToken)
    {
        var backoffs = 0;
        await using var harness = await PluginHarness.CreateAsync(
            _server, new Dictionary<string, object> { ["metrics"] = new[] { "TotalLag" } }, sender: new SenderSeams { BackoffStarted = _ => backoffs++ });
        _server.Script(400, "InvalidParameterValue", "The value Foo for parameter MetricData.member.1.Unit is not valid.");

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));
        await harness.TickAndFlushAsync(cancellationToken);

        Assert.That(_server.Requests, Has.Count.EqualTo(1), "no retry");
        Assert.That(backoffs, Is.Zero);
        Assert.That(harness.Logs.Has(8101, "InvalidParameterValue: The value Foo for parameter MetricData.member.1.Unit is not valid."), Is.True);
        Assert.That(harness.Logs.Has(8102, "InvalidParameterValue"), Is.True);
        Assert.That(harness.Metrics.Sum(PluginMetrics.DatumsDropped, ("reason", "rejected")), Is.EqualTo(1));
        Assert.That(harness.Plugin.Buffered, Is.Zero);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task AwsRejectsOneDatum_RequestIsSplitUntilItIsAlone_EveryOtherDatumArrives(CancellationToken cancellationToken)
    {
        await using var harness = await PluginHarness.CreateAsync(_server, new Dictionary<string, object> { ["metrics"] = new[] { "TotalLag" } });
        _server.Poison = d => d.Dimension("ConsumerGroup") == "group-13";

        for (var i = 0; i < 40; i++)
        {
            await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: "group-" + i, totalLag: i));
        }

        await harness.TickAndFlushAsync(cancellationToken);

        Assert.That(_server.AcceptedDatums.Select(d => d.Dimension("ConsumerGroup")),
            Is.EquivalentTo(Enumerable.Range(0, 40).Where(i => i != 13).Select(i => "group-" + i)));
        Assert.That(harness.Metrics.Sum(PluginMetrics.DatumsDropped, ("reason", "rejected")), Is.EqualTo(1));
        Assert.That(harness.Logs.Has(8102, "ConsumerGroup=group-13"), Is.True);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Batch2500Datums_IsSplitIntoRequestsWithinCloudWatchLimits(CancellationToken cancellationToken)
    {
        // The request timeout runs on the fake clock: the tick below must not time out a request already in flight.
        await using var harness = await PluginHarness.CreateAsync(
            _server, new Dictionary<string, object> { ["metrics"] = new[] { "TotalLag" }, ["request_timeout"] = "1h" });

        for (var i = 0; i < 2500; i++)
        {
            await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: "g" + i, totalLag: i));
        }

        harness.Tick();
        await _server.WaitForDatumsAsync(2500, cancellationToken);

        Assert.That(_server.Requests.Select(r => r.Problem), Has.All.Null);
        Assert.That(_server.Requests, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(_server.Requests.Select(r => r.Datums.Count), Has.All.LessThanOrEqualTo(1000));
        Assert.That(_server.Requests.Select(r => r.BodyBytes), Has.All.LessThanOrEqualTo(1_000_000));
        Assert.That(_server.AcceptedDatums.Select(d => d.Value).Order(), Is.EqualTo(Enumerable.Range(0, 2500).Select(i => (double)i)));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task BadDatums_NaNInfinityEmptyName_AreRejectedOneByOne_TheRestIsSent(CancellationToken cancellationToken)
    {
        await using var harness = await PluginHarness.CreateAsync(_server);

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: "good"));
        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: "nan", without: [ConsumerStatusTraits.TotalLag],
            extra: [Trait.Float(ConsumerStatusTraits.TotalLag, double.NaN)]));
        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: "inf", without: [ConsumerStatusTraits.MaxLagCurrentLag],
            extra: [Trait.Float(ConsumerStatusTraits.MaxLagCurrentLag, double.PositiveInfinity)]));
        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: string.Empty));
        await harness.TickAndFlushAsync(cancellationToken);

        Assert.That(_server.Requests.Single().Problem, Is.Null, "the batch is clean");
        var sent = _server.AcceptedDatums.Select(d => d.Dimension("ConsumerGroup") + "/" + d.MetricName).ToList();
        Assert.That(sent, Has.Count.EqualTo(4 + 3 + 3));
        Assert.That(sent, Does.Not.Contain("nan/TotalLag").And.Not.Contain("inf/MaxLag"));
        Assert.That(harness.Metrics.Sum(PluginMetrics.DatumsDropped, ("reason", "invalid")), Is.EqualTo(1 + 1 + 4));
        Assert.That(harness.Logs.Has(8007, "value of TotalLag is NaN"), Is.True);
        Assert.That(harness.Logs.Has(8007, "dimension ConsumerGroup of TotalLag must have a value"), Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task AbsentTrait_ItsDatumIsSkippedAndCounted(CancellationToken cancellationToken)
    {
        await using var harness = await PluginHarness.CreateAsync(_server);

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, without: [ConsumerStatusTraits.MaxLagCurrentLag]));
        await harness.TickAndFlushAsync(cancellationToken);

        Assert.That(_server.AcceptedDatums.Select(d => d.MetricName), Is.EquivalentTo(new[] { "TotalLag", "PartitionCount", "StatusCode" }));
        Assert.That(harness.Metrics.Sum(PluginMetrics.DatumsSkipped, ("trait", ConsumerStatusTraits.MaxLagCurrentLag)), Is.EqualTo(1));
    }

    [Test]
    public async Task OtherEventTypes_AreIgnoredAndCounted()
    {
        await using var harness = await PluginHarness.CreateAsync(_server);

        await harness.HandleAsync(new Event { MessageId = "x", EventType = "hello.greeting", Generated = PluginHarness.Start });

        Assert.That(harness.Plugin.Buffered, Is.Zero);
        Assert.That(harness.Metrics.Sum(PluginMetrics.EventsIgnored, ("reporter", "cloudwatch")), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task KarrotNaming_MetricNameIsTheGroup_NoDimensionsNoUnit_ValueIsTotalLag(CancellationToken cancellationToken)
    {
        await using var harness = await PluginHarness.CreateAsync(_server, new Dictionary<string, object> { ["naming"] = "karrot" });

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: "topicA_consumer", totalLag: 601));
        await harness.TickAndFlushAsync(cancellationToken);

        var datum = _server.AcceptedDatums.Single();
        Assert.That(datum.MetricName, Is.EqualTo("topicA_consumer"));
        Assert.That(datum.Dimensions, Is.Empty);
        Assert.That(datum.Unit, Is.Null);
        Assert.That(datum.Value, Is.EqualTo(601));
        Assert.That(_server.Accepted.Single().Form["Namespace"], Is.EqualTo("GumGum/Kafka/Burrow/ConsumerLag"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PartitionLagAndExtras_AddDimensionsAndHighResolution(CancellationToken cancellationToken)
    {
        await using var harness = await PluginHarness.CreateAsync(_server, new Dictionary<string, object>
        {
            ["metrics"] = new[] { "TotalLag" },
            ["partition_lag"] = true,
            ["high_resolution"] = true,
            ["namespace"] = "Team/Kafka",
            ["extra_dimensions"] = new[] { "source" },
            ["static_dimensions"] = new Dictionary<string, object> { ["Environment"] = "prod" },
        });

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, partitionLags: [("orders", 0, 10), ("orders", 1, 20)]));
        await harness.TickAndFlushAsync(cancellationToken);

        var datums = _server.AcceptedDatums;
        Assert.That(_server.Accepted.Single().Form["Namespace"], Is.EqualTo("Team/Kafka"));
        Assert.That(datums.Select(d => d.MetricName), Is.EqualTo(new[] { "TotalLag", "PartitionLag", "PartitionLag" }));
        Assert.That(datums.Select(d => d.StorageResolution), Has.All.EqualTo(1));
        Assert.That(datums[0].Dimensions.Select(d => d.Key), Is.EqualTo(new[] { "Cluster", "ConsumerGroup", "Source", "Environment" }));
        Assert.That(datums[2].Dimensions.Select(d => d.Key + "=" + d.Value),
            Is.EqualTo(new[] { "Cluster=local", "ConsumerGroup=topicA_consumer", "Source=webhook", "Environment=prod", "Topic=orders", "Partition=1" }));
        Assert.That(datums[2].Value, Is.EqualTo(20));
    }

    [TestCase(503, "ServiceUnavailable")]
    [TestCase(500, "InternalFailure")]
    [CancelAfter(10_000)]
    public async Task RepeatedFailures_MakeThePluginDegraded_OneSuccessHealsIt(int status, string code, CancellationToken cancellationToken)
    {
        await using var harness = await PluginHarness.CreateAsync(_server, new Dictionary<string, object> { ["max_attempts"] = 1, ["degraded_after"] = 3 });
        for (var i = 0; i < 3; i++)
        {
            _server.Script(status, code, "try later");
        }

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));
        await harness.TickAndFlushAsync(cancellationToken);
        await harness.TickAndFlushAsync(cancellationToken);
        Assert.That(harness.Plugin.GetHealth().State, Is.EqualTo(PluginHealthState.Healthy), "two failures are not yet a pattern");
        await harness.TickAndFlushAsync(cancellationToken);

        Assert.That(harness.Plugin.GetHealth().State, Is.EqualTo(PluginHealthState.Degraded));
        Assert.That(harness.Plugin.GetHealth().Detail, Does.Contain("3 CloudWatch calls in a row failed").And.Contain(code));
        Assert.That(harness.Plugin.Buffered, Is.EqualTo(4), "kept for the next flush");
        await harness.TickAndFlushAsync(cancellationToken);
        Assert.That(harness.Plugin.GetHealth(), Is.EqualTo(PluginHealth.Healthy));
        Assert.That(_server.AcceptedDatums, Has.Count.EqualTo(4));
        Assert.That(harness.Metrics.Sum(PluginMetrics.ApiCalls, ("status", status.ToString(CultureInfo.InvariantCulture))), Is.EqualTo(3));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task NetworkFailure_CountsStatusError_AndKeepsTheDatums(CancellationToken cancellationToken)
    {
        // A port nothing listens on: the connection is refused at once.
        await using var harness = await PluginHarness.CreateAsync(null, new Dictionary<string, object>
        {
            ["region"] = "us-east-1",
            ["endpoint_url"] = "http://127.0.0.1:9/",
            ["max_attempts"] = 1,
        });

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));
        await harness.TickAndFlushAsync(cancellationToken);

        Assert.That(harness.Metrics.Sum(PluginMetrics.ApiCalls, ("reporter", "cloudwatch"), ("status", "error")), Is.EqualTo(1));
        Assert.That(harness.Plugin.Buffered, Is.EqualTo(4));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task FullRequestWaiting_FlushesWithoutWaitingForTheTimer(CancellationToken cancellationToken)
    {
        await using var harness = await PluginHarness.CreateAsync(_server, new Dictionary<string, object> { ["metrics"] = new[] { "TotalLag" } });

        for (var i = 0; i < 1000; i++)
        {
            await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: "g" + i));
        }

        await _server.WaitForDatumsAsync(1000, cancellationToken);
        Assert.That(harness.Time.GetUtcNow(), Is.EqualTo(PluginHarness.Start), "the clock never moved");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task FullBuffer_DropOldest_CountsAndLogsTheOverflow(CancellationToken cancellationToken)
    {
        await using var harness = await PluginHarness.CreateAsync(_server, new Dictionary<string, object> { ["max_buffered"] = 5 });

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: "old"));
        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start, group: "new"));
        await harness.TickAndFlushAsync(cancellationToken);

        Assert.That(harness.Metrics.Sum(PluginMetrics.DatumsDropped, ("reason", "overflow")), Is.EqualTo(3));
        Assert.That(_server.AcceptedDatums.Select(d => d.Dimension("ConsumerGroup")), Is.EqualTo(new[] { "old", "new", "new", "new", "new" }));
        Assert.That(harness.Logs.Has(8111, "3 datums dropped"), Is.True);
    }

    [Test]
    public async Task FullBuffer_Reject_FailsTheMessageSoTheRouterRetriesIt()
    {
        await using var harness = await PluginHarness.CreateAsync(_server, new Dictionary<string, object> { ["max_buffered"] = 5, ["overflow"] = "reject" });

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));

        var ex = Assert.ThrowsAsync<InvalidOperationException>(async () => await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start)));
        Assert.That(ex!.Message, Does.Contain("buffer is full"));
        Assert.That(harness.Plugin.Buffered, Is.EqualTo(4));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RoleArn_AssumesTheRoleThroughSts_AndSignsWithTheSessionCredentials(CancellationToken cancellationToken)
    {
        _server.AssumedRole = ("ASIAROLEKEY", "role-secret", "role-session-token", PluginHarness.Start.AddHours(1));
        await using var harness = await PluginHarness.CreateAsync(_server, new Dictionary<string, object>
        {
            ["role_arn"] = "arn:aws:iam::123456789012:role/gordon",
            ["role_session_name"] = "karrot",
        });

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));
        await harness.TickAndFlushAsync(cancellationToken);

        var assume = _server.Requests.First();
        Assert.That(assume.Action, Is.EqualTo("AssumeRole"));
        Assert.That(assume.Signature.Valid, Is.True, assume.Signature.Problem);
        Assert.That(assume.Signature.Service, Is.EqualTo("sts"));
        Assert.That(assume.Signature.AccessKey, Is.EqualTo(FakeCloudWatch.AccessKey));
        Assert.That(assume.Form["RoleArn"], Is.EqualTo("arn:aws:iam::123456789012:role/gordon"));
        Assert.That(assume.Form["RoleSessionName"], Is.EqualTo("karrot"));
        var put = _server.Accepted.Single();
        Assert.That(put.Signature.AccessKey, Is.EqualTo("ASIAROLEKEY"));
        Assert.That(put.Signature.SignedHeaders, Does.Contain("x-amz-security-token"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RoleCredentials_AreRenewedBeforeTheyExpire(CancellationToken cancellationToken)
    {
        _server.AssumedRole = ("ASIAROLEKEY", "role-secret", "token", PluginHarness.Start.AddMinutes(20));
        await using var harness = await PluginHarness.CreateAsync(_server, new Dictionary<string, object> { ["role_arn"] = "arn:aws:iam::1:role/r" });

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));
        await harness.TickAndFlushAsync(cancellationToken);
        _server.AssumedRole = ("ASIAROLEKEY2", "role-secret-2", "token-2", PluginHarness.Start.AddHours(2));
        harness.Time.Advance(TimeSpan.FromMinutes(15));
        await harness.HandleAsync(ConsumerEvents.Status(harness.Time.GetUtcNow()));
        await harness.TickAndFlushAsync(cancellationToken);

        Assert.That(_server.Requests.Count(r => r.Action == "AssumeRole"), Is.EqualTo(2));
        Assert.That(_server.Accepted.Select(r => r.Signature.AccessKey), Is.EqualTo(new[] { "ASIAROLEKEY", "ASIAROLEKEY2" }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RequestTooLarge413_IsSplitAndBothHalvesSent(CancellationToken cancellationToken)
    {
        await using var harness = await PluginHarness.CreateAsync(_server);
        _server.Script(413, "RequestEntityTooLarge", "Request size 1048577 exceeded 1048576 bytes");

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));
        await harness.TickAndFlushAsync(cancellationToken);

        Assert.That(_server.Requests.Select(r => (r.Status, r.Datums.Count)), Is.EqualTo(new[] { (413, 4), (200, 2), (200, 2) }));
        Assert.That(harness.Metrics.Sum(PluginMetrics.DatumsDropped), Is.Zero);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ExpiredToken_FetchesFreshCredentialsAndTriesAgainAtOnce(CancellationToken cancellationToken)
    {
        var credentials = new CountingCredentials();
        await using var harness = await PluginHarness.CreateAsync(_server, credentials: credentials);
        _server.Script(403, "ExpiredToken", "The security token included in the request is expired");

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));
        await harness.TickAndFlushAsync(cancellationToken);

        Assert.That(_server.Requests.Select(r => r.Status), Is.EqualTo(new[] { 403, 200 }));
        Assert.That(credentials.Invalidations, Is.EqualTo(1));
        Assert.That(harness.Plugin.GetHealth(), Is.EqualTo(PluginHealth.Healthy));
    }

    private sealed class CountingCredentials : Gordon.Plugins.CloudWatch.Credentials.ICredentialSource
    {
        public int Invalidations { get; private set; }

        public string? ResolvedFrom => "counting";

        public ValueTask<Amazon.Runtime.ImmutableCredentials> GetAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(new Amazon.Runtime.ImmutableCredentials(FakeCloudWatch.AccessKey, FakeCloudWatch.SecretKey, null));

        public void Invalidate() => Invalidations++;
    }
}
