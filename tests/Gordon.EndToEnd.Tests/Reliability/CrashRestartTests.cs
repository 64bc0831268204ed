using System.Diagnostics;
using Gordon.EndToEnd.Tests.Support;

namespace Gordon.EndToEnd.Tests.Reliability;

/// <summary>
/// Issue 13 item 2: the published daemon (burrow → storage on SQLite in its state dir, spool on) is stopped by a
/// signal at seeded random moments while 20,000 reports arrive, and restarted each time. Afterwards the SQLite file
/// holds every report that was answered 200 exactly once, and nothing else.
/// </summary>
[NonParallelizable]
public sealed class CrashRestartTests
{
    private const int EventCount = 20_000;

    private const int Seed = 20_13;

    [Test]
    [CancelAfter(300_000)]
    public async Task SigkillAtRandomMoments_EveryReportAnswered200IsStoredExactlyOnce(CancellationToken cancellationToken)
    {
        using var root = NewRoot();
        var load = new CrashLoad(root, PosixSignalNumber.Kill, Seed);
        var clock = Stopwatch.StartNew();

        await load.RunAsync(EventCount, cancellationToken);
        var stored = await FinalCleanRunAsync(root, load, cancellationToken);

        await TestContext.Out.WriteLineAsync(
            $"SIGKILL: {EventCount} reports, {load.Stops} kills, {load.Accepted.Count} answered 200, {load.Refused} not answered 200, " +
            $"{stored.Count} stored, {clock.Elapsed.TotalSeconds:F1}s");
        Assert.That(load.Stops, Is.GreaterThanOrEqualTo(3), "the seed must kill the daemon several times");
        Assert.That(load.Accepted, Has.Count.GreaterThan(EventCount / 2), "most reports must be answered 200");
        StoreAssert.ExactlyOnce(load.Accepted, stored, CrashLoad.GroupPrefix, EventCount);
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task SigtermAtRandomMoments_EveryReportAnswered200IsStoredExactlyOnceAndTheSpoolIsLeftEmpty(CancellationToken cancellationToken)
    {
        using var root = NewRoot();
        var load = new CrashLoad(root, PosixSignalNumber.Term, Seed + 1);
        var clock = Stopwatch.StartNew();

        await load.RunAsync(EventCount, cancellationToken);
        var spool = Path.Combine(root.StateDirectory, "spool");
        var leftAfterStops = Directory.Exists(spool) ? Directory.GetFiles(spool) : [];
        var storedAfterStops = await StoreReader.ReadSqliteAsync(StorePath(root), cancellationToken);
        var stored = await FinalCleanRunAsync(root, load, cancellationToken);

        await TestContext.Out.WriteLineAsync(
            $"SIGTERM: {EventCount} reports, {load.Stops} stops, {load.Accepted.Count} answered 200, {load.Refused} not answered 200, " +
            $"{stored.Count} stored, {clock.Elapsed.TotalSeconds:F1}s");
        Assert.That(load.Stops, Is.GreaterThanOrEqualTo(3), "the seed must stop the daemon several times");
        Assert.That(load.SpoolFilesAfterGracefulStops, Is.Empty, "every graceful stop leaves an empty spool (no unfinished records)");
        Assert.That(leftAfterStops, Is.Empty, "the last graceful stop leaves an empty spool");

        // A graceful stop drains: what it acknowledged is stored before it exits, with nothing left for a replay.
        StoreAssert.ExactlyOnce(load.Accepted, storedAfterStops, CrashLoad.GroupPrefix, EventCount);
        StoreAssert.ExactlyOnce(load.Accepted, stored, CrashLoad.GroupPrefix, EventCount);
        Assert.That(Directory.Exists(spool) ? Directory.GetFiles(spool) : [], Is.Empty, "the final graceful stop leaves an empty spool");
    }

    private static TempConfigRoot NewRoot()
    {
        var root = new TempConfigRoot();
        root.AddPublishedPlugin("Gordon.Plugins.Burrow");
        root.AddPublishedPlugin("Gordon.Plugins.Storage");

        // synchronous = "normal": a committed event survives a crash of the daemon (all these tests do); "full" only
        // adds survival of a power loss, at a cost this 2-core machine feels.
        root.WriteUserConfig("""
            [core]
            plugins = ["burrow", "storage"]

            [core.router.concurrency]
            publish = 16

            [storage]
            url = "sqlite://events.db"
            sqlite_synchronous = "normal"
            """);
        return root;
    }

    private static string StorePath(TempConfigRoot root) => Path.Combine(root.StateDirectory, "events.db");

    /// <summary>Starts the daemon once more so it replays what the stops left, waits for every promise, and stops it cleanly.</summary>
    private static async Task<List<StoredEvent>> FinalCleanRunAsync(TempConfigRoot root, CrashLoad load, CancellationToken cancellationToken)
    {
        await using var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"");
        await daemon.WaitUntilListeningAsync(cancellationToken);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (!await AllStoredAsync(root, load, patience.Token))
            {
                // Polls a condition (replay progress), not a time: the loop ends as soon as every promise is kept.
                await Task.Delay(200, patience.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Leave the assertion to name what is missing.
        }

        daemon.Signal(PosixSignalNumber.Term);
        Assert.That(await daemon.WaitForExitAsync(cancellationToken), Is.Zero, daemon.Output);
        return await StoreReader.ReadSqliteAsync(StorePath(root), cancellationToken);
    }

    private static async Task<bool> AllStoredAsync(TempConfigRoot root, CrashLoad load, CancellationToken cancellationToken)
    {
        var stored = (await StoreReader.ReadSqliteAsync(StorePath(root), cancellationToken)).Select(e => e.MessageId).ToHashSet(StringComparer.Ordinal);
        return load.Accepted.Keys.All(stored.Contains);
    }
}
