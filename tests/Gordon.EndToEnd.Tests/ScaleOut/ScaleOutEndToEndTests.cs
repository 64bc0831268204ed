using System.Diagnostics;
using Gordon.EndToEnd.Tests.ScaleOut.Support;
using Gordon.EndToEnd.Tests.Support;
using Gordon.Plugins.RabbitMQ.Tests.Support;
using Gordon.Plugins.Storage.Tests.Support;

namespace Gordon.EndToEnd.Tests.ScaleOut;

/// <summary>
/// deploy/examples/scale-out end to end with a real RabbitMQ and a real PostgreSQL: 2 ingest daemons
/// (burrow → rabbitmq.publish) and 2 worker daemons (rabbitmq.consume → storage on the shared database), every
/// accepted Burrow report stored exactly once, also when a worker is killed with SIGKILL mid-run and when RabbitMQ
/// is restarted mid-run.
/// </summary>
/// <remarks>
/// Issue 14 asks for 20,000 events; this machine has 2 cores shared with other builds, so <see cref="EventCount"/>
/// is 2,000: the same paths (publisher confirms, redelivery, idempotent store) run, in minutes instead of tens.
/// </remarks>
[NonParallelizable]
public sealed class ScaleOutEndToEndTests
{
    private const int EventCount = 2_000;
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
    public async Task TwoIngestTwoWorkers_EveryAcceptedEventIsStoredExactlyOnce(CancellationToken cancellationToken)
    {
        await using var cluster = await ScaleOutCluster.CreateAsync(Broker, Postgres, cancellationToken);
        await cluster.StartWorkerAsync(cancellationToken);
        await cluster.StartWorkerAsync(cancellationToken);
        await cluster.WaitForQueueAsync(cancellationToken);
        await cluster.StartIngestAsync(cancellationToken);
        await cluster.StartIngestAsync(cancellationToken);

        var clock = Stopwatch.StartNew();
        var posted = await cluster.PostAsync(0, EventCount, PostParallelism, cancellationToken);
        var postedIn = clock.Elapsed;
        await WaitForAllAsync(cluster, cancellationToken);
        TestContext.Out.WriteLine($"{EventCount} events: posted in {postedIn.TotalSeconds:F1}s, all stored after {clock.Elapsed.TotalSeconds:F1}s");

        await AssertStoredExactlyOnceAsync(cluster, posted, cancellationToken);
    }

    [Test]
    [CancelAfter(600_000)]
    public async Task WorkerKilledMidRun_AndRestarted_NothingIsLost(CancellationToken cancellationToken)
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
        TestContext.Out.WriteLine($"{EventCount} events, worker killed at {storedAtKill} stored: all stored after {clock.Elapsed.TotalSeconds:F1}s");

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

        // The first half goes through a running broker; the second half is posted while it is stopped and while it
        // comes back, so the ingest daemons' publishes wait for it (stop_app takes longer than a whole run here, so
        // stopping "when a quarter is stored" would stop it after the end).
        var clock = Stopwatch.StartNew();
        var firstHalf = await cluster.PostAsync(0, EventCount / 2, PostParallelism, cancellationToken);
        await Broker.StopAppAsync(cancellationToken);
        var storedWhileStopped = await cluster.CountStoredAsync(cancellationToken);
        var secondHalf = cluster.PostAsync(EventCount / 2, EventCount, PostParallelism, cancellationToken);
        await Broker.StartAppAsync(cancellationToken);
        var posted = firstHalf.Concat(await secondHalf).ToDictionary();
        await WaitForAllAsync(cluster, cancellationToken);
        TestContext.Out.WriteLine($"{EventCount} events, broker stopped at {storedWhileStopped} stored: all stored after {clock.Elapsed.TotalSeconds:F1}s");

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
        var stored = await cluster.StoredMessageIdsAsync(cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(posted, Has.Count.EqualTo(EventCount), "every POST answered 200 with a message id");
            Assert.That(posted.Values.Distinct().Count(), Is.EqualTo(EventCount), "distinct bodies have distinct message ids");
            Assert.That(stored, Has.Count.EqualTo(EventCount), "rows in event");
            Assert.That(stored, Is.EquivalentTo(posted.Values), "each posted message id stored exactly once");
        });
    }
}
