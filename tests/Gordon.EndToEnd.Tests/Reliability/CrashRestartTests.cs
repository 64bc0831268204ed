using Gordon.EndToEnd.Tests.Support;

namespace Gordon.EndToEnd.Tests.Reliability;

/// <summary>
/// Issue 13 item 2: the published daemon with the spool on, stopped at seeded random moments while reports arrive,
/// and restarted each time. Storage is not merged yet, so delivery is checked at a recording publish handler that
/// fsyncs each message id it handles: at least once (a replay after a crash may deliver twice).
/// </summary>
public sealed class CrashRestartTests
{
    /// <summary>Reports sent per test (the 20,000 scaled down for a 2-core machine shared with others).</summary>
    private const int EventCount = 10_000;

    private const int Seed = 20_13;

    private RecorderFixture? _recorder;

    [OneTimeSetUp]
    public async Task PublishRecorderAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        _recorder = await RecorderFixture.PublishAsync(timeout.Token);
    }

    [OneTimeTearDown]
    public void RemoveRecorder() => _recorder?.Dispose();

    [Test]
    [CancelAfter(300_000)]
    public async Task SigkillAtRandomMoments_EveryReportAnswered200IsDeliveredAtLeastOnceToTheRecordingHandler(CancellationToken cancellationToken)
    {
        using var root = NewRoot(out var recorded);
        var load = new CrashLoad(root, PosixSignalNumber.Kill, Seed);

        await load.RunAsync(EventCount, cancellationToken);
        var delivered = await FinalCleanRunAsync(root, recorded, load, cancellationToken);

        await TestContext.Out.WriteLineAsync(
            $"SIGKILL: {EventCount} reports, {load.Stops} kills, {load.Accepted.Count} answered 200, {load.Refused} not answered 200, " +
            $"{delivered.Count} deliveries recorded ({delivered.Count - delivered.Distinct(StringComparer.Ordinal).Count()} duplicates from replays)");
        Assert.That(load.Stops, Is.GreaterThanOrEqualTo(3), "the seed must kill the daemon several times");
        Assert.That(load.Accepted.Keys, Is.SubsetOf(delivered.ToHashSet(StringComparer.Ordinal)), "every report answered 200 is delivered");
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task SigtermAtRandomMoments_EveryReportAnswered200IsDeliveredAndTheSpoolIsLeftEmpty(CancellationToken cancellationToken)
    {
        using var root = NewRoot(out var recorded);
        var load = new CrashLoad(root, PosixSignalNumber.Term, Seed + 1);

        await load.RunAsync(EventCount, cancellationToken);
        var spool = Path.Combine(root.StateDirectory, "spool");
        var leftAfterStops = Directory.Exists(spool) ? Directory.GetFiles(spool) : [];
        var delivered = await FinalCleanRunAsync(root, recorded, load, cancellationToken);

        await TestContext.Out.WriteLineAsync(
            $"SIGTERM: {EventCount} reports, {load.Stops} stops, {load.Accepted.Count} answered 200, {load.Refused} not answered 200, " +
            $"{delivered.Count} deliveries recorded");
        Assert.That(load.Stops, Is.GreaterThanOrEqualTo(3), "the seed must stop the daemon several times");
        Assert.That(leftAfterStops, Is.Empty, "a graceful stop leaves an empty spool");
        Assert.That(load.Accepted.Keys, Is.SubsetOf(delivered.ToHashSet(StringComparer.Ordinal)), "every report answered 200 is delivered");
        Assert.That(Directory.Exists(spool) ? Directory.GetFiles(spool) : [], Is.Empty, "the final graceful stop leaves an empty spool");
    }

    private TempConfigRoot NewRoot(out string recorded)
    {
        var root = new TempConfigRoot();
        root.AddPublishedPlugin("Gordon.Plugins.Burrow");
        TempConfigRoot.CopyDirectory(_recorder!.PublishedDirectory, Path.Combine(root.PluginsDirectory, "Gordon.Reliability.Fixture"));
        recorded = Path.Combine(root.Path, "recorded.txt");
        root.WriteUserConfig($$"""
            [core]
            plugins = ["burrow", "recorder"]

            [recorder]
            path = "{{recorded}}"
            """);
        return root;
    }

    /// <summary>Starts the daemon once more so it replays what the stops left, waits for every promise, and stops it cleanly.</summary>
    private static async Task<List<string>> FinalCleanRunAsync(TempConfigRoot root, string recorded, CrashLoad load, CancellationToken cancellationToken)
    {
        await using var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"");
        await daemon.WaitUntilListeningAsync(cancellationToken);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(60));
        var delivered = ReadRecorded(recorded);
        try
        {
            while (!load.Accepted.Keys.All(delivered.ToHashSet(StringComparer.Ordinal).Contains))
            {
                // Polls a condition (replay progress), not a time: the loop ends as soon as every promise is kept.
                await Task.Delay(200, patience.Token);
                delivered = ReadRecorded(recorded);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Leave the assertion to name what is missing.
        }

        daemon.Signal(PosixSignalNumber.Term);
        Assert.That(await daemon.WaitForExitAsync(cancellationToken), Is.Zero, daemon.Output);
        return ReadRecorded(recorded);
    }

    private static List<string> ReadRecorded(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
