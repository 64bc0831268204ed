using System.Diagnostics;
using Gordon.EndToEnd.Tests.ScaleOut.Support;
using Gordon.EndToEnd.Tests.Support;
using Gordon.Plugins.RabbitMQ.Tests.Support;
using Gordon.Plugins.Storage.Tests.Support;

namespace Gordon.EndToEnd.Tests.ScaleOut;

/// <summary>
/// Issue 14 item 3: deploy/examples/scale-out end to end (the shipped configs) with a real RabbitMQ and a real
/// PostgreSQL: 2 ingest daemons (burrow → rabbitmq.publish) and 2 worker daemons (rabbitmq.consume → burrow.enrich →
/// prometheus + storage on the shared database), 20,000 Burrow reports each run, every accepted one stored exactly
/// once — with a worker killed by SIGKILL mid-run and restarted, and with RabbitMQ restarted mid-run.
/// </summary>
[NonParallelizable]
public sealed class ScaleOutEndToEndTests
{
    private const int EventCount = 20_000;
    private const int PostParallelism = 16;

    private RabbitMqBroker? _broker;
    private PostgresServer? _postgres;

    private RabbitMqBroker Broker => _broker ?? throw new InvalidOperationException("no broker");

    private PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("no PostgreSQL");

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _broker = await RabbitMqBroker.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _postgres?.Dispose();
    }

    [Test]
    [CancelAfter(600_000)]
    public async Task TwoIngestTwoWorkers_WorkerKilledMidRunAndRestarted_EveryAcceptedEventIsStoredExactlyOnce(CancellationToken cancellationToken)
    {
        await using var cluster = await ScaleOutCluster.CreateAsync(Broker, Postgres, cancellationToken);
        var (victimRoot, victim) = await cluster.StartWorkerAsync(cancellationToken);
        await cluster.StartWorkerAsync(cancellationToken);
        await cluster.WaitForQueueAsync(cancellationToken);
        await cluster.StartIngestAsync(cancellationToken);
        await cluster.StartIngestAsync(cancellationToken);

        var clock = Stopwatch.StartNew();
        var posting = cluster.PostAsync(0, EventCount, PostParallelism, cancellationToken);
        await cluster.WaitForStoredAsync(EventCount / 4, cancellationToken);
        victim.Signal(PosixSignalNumber.Kill);
        await victim.WaitForExitAsync(cancellationToken);
        var storedAtKill = await cluster.CountStoredAsync(cancellationToken);
        await cluster.StartDaemonAsync(victimRoot, cancellationToken);
        var posted = await posting;
        await WaitForAllAsync(cluster, cancellationToken);
        TestContext.Out.WriteLine($"{EventCount} events, worker killed at {storedAtKill} stored: all stored after {clock.Elapsed.TotalSeconds:F1}s, {cluster.Refusals} POSTs answered 503 and sent again");

        Assert.That(storedAtKill, Is.LessThan(EventCount), "the worker must be killed while events are still on their way");
        await AssertStoredExactlyOnceAsync(cluster, posted, cancellationToken);
    }

    [Test]
    [CancelAfter(600_000)]
    public async Task BrokerRestartedMidRun_PublishersWaitAndResume_NothingIsLost(CancellationToken cancellationToken)
    {
        await using var cluster = await ScaleOutCluster.CreateAsync(Broker, Postgres, cancellationToken);
        await cluster.StartWorkerAsync(cancellationToken);
        await cluster.StartWorkerAsync(cancellationToken);
        await cluster.WaitForQueueAsync(cancellationToken);
        await cluster.StartIngestAsync(cancellationToken);
        await cluster.StartIngestAsync(cancellationToken);

        // RabbitMQ's application is stopped once a tenth of the first half is stored (stop_app itself takes seconds,
        // while events keep flowing); the second half is posted while it is down, so events are surely on their way:
        // the ingest daemons' publishes wait for it (their pipelines fill, and POSTs beyond that are answered 503
        // and sent again), the workers reconnect and consume the rest once it is started again.
        var clock = Stopwatch.StartNew();
        var firstHalf = cluster.PostAsync(0, EventCount / 2, PostParallelism, cancellationToken);
        await cluster.WaitForStoredAsync(EventCount / 20, cancellationToken);
        await Broker.StopAppAsync(cancellationToken);
        var storedWhileStopped = await cluster.CountStoredAsync(cancellationToken);
        var secondHalf = cluster.PostAsync(EventCount / 2, EventCount, PostParallelism, cancellationToken);
        var stoppedFor = Stopwatch.StartNew();
        await Broker.StartAppAsync(cancellationToken);
        var downFor = stoppedFor.Elapsed;
        var posted = (await firstHalf).Concat(await secondHalf).ToDictionary(p => p.Key, p => p.Value);
        await WaitForAllAsync(cluster, cancellationToken);
        TestContext.Out.WriteLine(
            $"{EventCount} events, broker stopped at {storedWhileStopped} stored (start_app took {downFor.TotalSeconds:F1}s): " +
            $"all stored after {clock.Elapsed.TotalSeconds:F1}s, {cluster.Refusals} POSTs answered 503 and sent again");

        Assert.That(storedWhileStopped, Is.LessThan(EventCount), "the broker must stop while events are still on their way");
        await AssertStoredExactlyOnceAsync(cluster, posted, cancellationToken);
    }

    private static async Task WaitForAllAsync(ScaleOutCluster cluster, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await cluster.WaitForStoredAsync(EventCount, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"only {await cluster.CountStoredAsync(cancellationToken)} of {EventCount} events stored after 5 minutes:\n{cluster.Outputs}");
        }
    }

    private static async Task AssertStoredExactlyOnceAsync(ScaleOutCluster cluster, IReadOnlyDictionary<int, string> posted, CancellationToken cancellationToken)
    {
        var stored = await cluster.StoredAsync(cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(posted, Has.Count.EqualTo(EventCount), "every event was answered 200 with a message id in the end");
            Assert.That(posted.Values.Distinct().Count(), Is.EqualTo(EventCount), "distinct bodies have distinct message ids");
            Assert.That(stored, Has.Count.EqualTo(EventCount), "rows in event");
        });
        StoreAssert.ExactlyOnce(posted.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal), stored, "group-", EventCount);
    }
}
