using System.Text;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Core.Serialization;
using Gordon.Core.Spool;
using Gordon.Core.Tests.Spool.Support;
using Gordon.Core.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Core.Tests.Spool;

public sealed class DurableSpoolTests
{
    private string _directory = null!;
    private RecordingLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("gordon-spool-").FullName;
        _logger = new RecordingLogger();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Crc32_MatchesTheStandardCheckValue() =>
        Assert.That(Crc32.Compute(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xCBF43926u));

    // SpoolFsync is internal, so the cases pass its name (a public test method cannot take an internal type).
    [TestCase("Interval")]
    [TestCase("Always")]
    public async Task Append_WithoutAck_IsReturnedAtTheNextOpen(string fsync)
    {
        var (spool, unfinished) = Open(Options() with { Fsync = Enum.Parse<SpoolFsync>(fsync) });
        Assert.That(unfinished, Is.Empty);
        await spool.AppendAsync(RouterTestEvents.Create("m1"), CancellationToken.None);
        await spool.AppendAsync(RouterTestEvents.Create("m2"), CancellationToken.None);
        await spool.DisposeAsync();

        var (again, recovered) = Open(Options());
        await using (again)
        {
            Assert.That(recovered.Select(m => m.Event.MessageId), Is.EqualTo(new[] { "m1", "m2" }));
            var first = recovered[0].Event;
            Assert.That(first.EventType, Is.EqualTo("test.event"));
            Assert.That(first.TryGetTrait("lag", out var lag) && lag.IntegerValue == 42, Is.True);
            Assert.That(Encoding.UTF8.GetString(first.Raw.Span), Is.EqualTo("{\"id\":\"m1\"}"));
            Assert.That(again.LiveCount, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Ack_MessageIsNotReplayed_AndACleanStopLeavesNoSegment()
    {
        var (spool, _) = Open(Options());
        var first = await spool.AppendAsync(RouterTestEvents.Create("m1"), CancellationToken.None);
        await spool.AppendAsync(RouterTestEvents.Create("m2"), CancellationToken.None);
        spool.Ack(first);
        await spool.DisposeAsync();

        var (again, recovered) = Open(Options());
        Assert.That(recovered.Select(m => m.Event.MessageId), Is.EqualTo(new[] { "m2" }));
        again.Ack(recovered[0].Sequence);
        await again.DisposeAsync();

        Assert.That(Directory.GetFiles(_directory), Is.Empty);
    }

    [Test]
    public async Task Open_TornLastRecord_KeepsTheWholeOnesAndReportsTheTear()
    {
        var (spool, _) = Open(Options());
        for (var i = 0; i < 3; i++)
        {
            await spool.AppendAsync(RouterTestEvents.Create("m" + i), CancellationToken.None);
        }

        await spool.DisposeAsync();
        var segment = Directory.GetFiles(_directory).Single(f => new FileInfo(f).Length > 0);
        using (var file = new FileStream(segment, FileMode.Open))
        {
            // The end mark and the last 5 bytes of the last record never reached the file.
            file.SetLength(file.Length - SpoolRecord.HeaderSize - 5);
        }

        var (again, recovered) = Open(Options());
        await again.DisposeAsync();

        Assert.That(recovered.Select(m => m.Event.MessageId), Is.EqualTo(new[] { "m0", "m1" }));
        Assert.That(_logger.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("torn write", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task Open_FlippedByte_SkipsFromTheBadRecordOnAndSaysChecksum()
    {
        var (spool, _) = Open(Options());
        for (var i = 0; i < 3; i++)
        {
            await spool.AppendAsync(RouterTestEvents.Create("m" + i), CancellationToken.None);
        }

        await spool.DisposeAsync();
        var segment = Directory.GetFiles(_directory).Single(f => new FileInfo(f).Length > 0);
        var bytes = await File.ReadAllBytesAsync(segment);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(segment, bytes);

        var (again, recovered) = Open(Options());
        await again.DisposeAsync();

        Assert.That(recovered.Select(m => m.Event.MessageId), Is.EqualTo(new[] { "m0" }));
        Assert.That(_logger.Entries.Any(e => e.Message.Contains("checksum mismatch", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task Append_PastMaxSize_IsRefusedAsFull_AndAcceptedAgainAfterAcks()
    {
        var (spool, _) = Open(Options() with { MaxSize = 1000 });
        await using var _ = spool;
        var accepted = new List<long>();
        var refused = Assert.ThrowsAsync<PipelineUnavailableException>(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                accepted.Add(await spool.AppendAsync(RouterTestEvents.Create("m" + i), CancellationToken.None));
            }
        });

        Assert.That(refused!.Reason, Is.EqualTo(PipelineUnavailableReason.Full));
        Assert.That(refused.Message, Does.Contain("the spool is full").And.Contain("max_size"));
        Assert.That(accepted, Is.Not.Empty);
        accepted.ForEach(spool.Ack);
        await WaitUntilAsync(() => spool.LiveCount == 0);
        Assert.That(await spool.AppendAsync(RouterTestEvents.Create("later"), CancellationToken.None), Is.GreaterThan(0));
    }

    [Test]
    public async Task Segments_RotatePastSegmentSize_FinishedOnesAreKeptAsTwoSparesAndTheRestDeleted()
    {
        var (spool, _) = Open(Options() with { SegmentSize = 512 });
        var sequences = new List<long>();
        for (var i = 0; i < 60; i++)
        {
            sequences.Add(await spool.AppendAsync(RouterTestEvents.Create("m" + i), CancellationToken.None));
        }

        Assert.That(Segments(), Has.Length.GreaterThan(3));
        sequences.ForEach(spool.Ack);
        await WaitUntilAsync(() => spool.LiveCount == 0);
        var after = await spool.AppendAsync(RouterTestEvents.Create("after"), CancellationToken.None);

        // Finished segments are retired beside the appends, not on their path.
        await WaitUntilAsync(() => Segments().Length <= 2 && Spares().Length == 2);
        spool.Ack(after);
        await spool.DisposeAsync();
        Assert.That(Directory.GetFiles(_directory), Is.Empty, "a clean stop with nothing unfinished deletes the spares too");
    }

    [Test]
    public async Task Segments_ASpareIsReused_AndWhatItHeldBeforeIsNeverReplayed()
    {
        var (spool, _) = Open(Options() with { SegmentSize = 512 });
        await using var _ = spool;
        for (var i = 0; i < 60; i++)
        {
            spool.Ack(await spool.AppendAsync(RouterTestEvents.Create("old" + i), CancellationToken.None));
        }

        await WaitUntilAsync(() => Spares().Length == 2 && Segments().Length == 1);

        // The last old segment may still be retired into a new spare beside these appends, so the proof that a
        // rotation took a spare is that one of these two files is gone, not how many spares there are.
        var spares = Spares();
        bool ASpareWasTaken() => spares.Any(spare => !File.Exists(spare));
        var fresh = new List<string>();
        for (var i = 0; i < 200 && (!ASpareWasTaken() || fresh.Count < 2); i++)
        {
            // Rotating takes a spare: its file, renamed, holds the new records over the old ones.
            fresh.Add("new" + i);
            await spool.AppendAsync(RouterTestEvents.Create(fresh[^1]), CancellationToken.None);
        }

        Assert.That(ASpareWasTaken(), Is.True, "a rotation took a spare");
        for (var i = 0; i < 2; i++)
        {
            // Written over the start of the old records, which go on after them.
            fresh.Add("new-in-the-reused-file" + i);
            await spool.AppendAsync(RouterTestEvents.Create(fresh[^1]), CancellationToken.None);
        }

        Assert.That(RecoveredAfterACrash().Select(m => m.Event.MessageId), Is.EqualTo(fresh));
        Assert.That(_logger.Entries.Where(e => e.Level >= LogLevel.Warning), Is.Empty, "the end mark stops the reading before the old records");
    }

    [Test]
    public async Task Open_RecordsOfAnEarlierUseOfTheFile_AreNotReplayedEvenWithoutAnEndMark()
    {
        var (spool, _) = Open(Options());
        await spool.AppendAsync(RouterTestEvents.Create("earlier"), CancellationToken.None);
        await spool.DisposeAsync();

        // The file as a reused segment would leave it after a power loss: its old records, under its new name.
        var old = Segments().Single();
        File.Move(old, Path.Combine(_directory, "segment-00000000000000000007.spool"));

        var (again, recovered) = Open(Options());
        await again.DisposeAsync();
        Assert.That(recovered, Is.Empty);
        Assert.That(_logger.Entries.Any(e => e.Message.Contains("checksum mismatch", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task ConcurrentAppends_AllGetDistinctSequences_AndAllAreRecovered()
    {
        var (spool, _) = Open(Options());
        var tasks = Enumerable.Range(0, 2000).Select(i => spool.AppendAsync(RouterTestEvents.Create("m" + i), CancellationToken.None).AsTask());
        var sequences = await Task.WhenAll(tasks);
        await spool.DisposeAsync();

        var (again, recovered) = Open(Options());
        await again.DisposeAsync();

        Assert.That(sequences.Distinct().Count(), Is.EqualTo(2000));
        Assert.That(recovered.Select(m => m.Event.MessageId).Distinct().Count(), Is.EqualTo(2000));
    }

    [Test]
    public async Task DiskFull_RefusesTheAppendWithTheReason_AndKeepsEveryAcceptedMessageReadable()
    {
        var (spool, _) = DurableSpool.Open(
            Options(),
            _logger,
            TimeProvider.System,
            path => new DiskFullStream(new FileStream(path, FileMode.CreateNew, FileAccess.Write), capacity: 3000));
        var accepted = new List<string>();
        PipelineUnavailableException? refused = null;
        for (var i = 0; i < 100 && refused is null; i++)
        {
            try
            {
                await spool.AppendAsync(RouterTestEvents.Create("m" + i), CancellationToken.None);
                accepted.Add("m" + i);
            }
            catch (PipelineUnavailableException e)
            {
                refused = e;
            }
        }

        await spool.DisposeAsync();
        var (again, recovered) = Open(Options());
        await again.DisposeAsync();

        Assert.That(refused?.Message, Does.Contain("cannot write").And.Contain("No space left on device"));
        Assert.That(accepted, Is.Not.Empty);
        Assert.That(recovered.Select(m => m.Event.MessageId), Is.EqualTo(accepted));
        Assert.That(_logger.Entries.Any(e => e.Message.Contains("torn", StringComparison.Ordinal)), Is.False, "the failed batch was cut off cleanly");
    }

    [Test]
    public async Task Appends_WhileAWriteIsUnderWay_AreWrittenTogetherInTheNextWrite()
    {
        GatedStream? file = null;
        var (spool, _) = DurableSpool.Open(Options(), _logger, new FakeTimeProvider(), path => file = new GatedStream(new FileStream(path, FileMode.CreateNew, FileAccess.Write)));
        var first = Task.Run(() => spool.AppendAsync(RouterTestEvents.Create("first"), CancellationToken.None).AsTask());
        await WaitUntilAsync(() => file!.Writes == 1);

        var waiting = Enumerable.Range(0, 100).Select(i => spool.AppendAsync(RouterTestEvents.Create("m" + i), CancellationToken.None).AsTask()).ToList();
        Assert.That(waiting.Any(t => t.IsCompleted), Is.False, "nothing is acknowledged before it is written");
        file!.Release();
        var sequences = await Task.WhenAll(waiting.Append(first));
        Assert.That(file.Writes, Is.EqualTo(2), "the first append's write, then one for the hundred that waited");
        await spool.DisposeAsync();

        var (again, recovered) = Open(Options());
        await again.DisposeAsync();
        Assert.That(sequences.Distinct().Count(), Is.EqualTo(101));
        Assert.That(recovered, Has.Count.EqualTo(101));
    }

    [Test]
    public async Task Ack_RidesWithTheNextAppendsWrite_SoACrashAfterItDoesNotReplayTheMessage()
    {
        var (spool, _) = DurableSpool.Open(Options(), _logger, new FakeTimeProvider());
        await using var _ = spool;
        var first = await spool.AppendAsync(RouterTestEvents.Create("m1"), CancellationToken.None);
        await spool.AppendAsync(RouterTestEvents.Create("m2"), CancellationToken.None);
        spool.Ack(first);
        Assert.That(RecordKinds(_directory), Does.Not.Contain(SpoolRecordKind.Acks), "acks wait for a write");
        await spool.AppendAsync(RouterTestEvents.Create("m3"), CancellationToken.None);

        Assert.That(RecoveredAfterACrash().Select(m => m.Event.MessageId), Is.EqualTo(new[] { "m2", "m3" }));
    }

    [Test]
    public async Task Ack_WithNothingElseToWrite_IsReplayedAfterACrashBeforeTheTick_AndWrittenByTheTick()
    {
        var time = new FakeTimeProvider();
        var (spool, _) = DurableSpool.Open(Options(), _logger, time);
        await using var _ = spool;
        spool.Ack(await spool.AppendAsync(RouterTestEvents.Create("m1"), CancellationToken.None));

        Assert.That(RecoveredAfterACrash().Select(m => m.Event.MessageId), Is.EqualTo(new[] { "m1" }), "a finished message may come back: its id makes that harmless");
        time.Advance(Options().FsyncInterval);
        await WaitUntilAsync(() => RecordKinds(_directory).Contains(SpoolRecordKind.Acks));
        Assert.That(RecoveredAfterACrash(), Is.Empty);
    }

    [Test]
    public async Task Acks_ManyFinished_AreWrittenAsOneRecord()
    {
        var (spool, _) = DurableSpool.Open(Options(), _logger, new FakeTimeProvider());
        var sequences = new List<long>();
        for (var i = 0; i < 50; i++)
        {
            sequences.Add(await spool.AppendAsync(RouterTestEvents.Create("m" + i), CancellationToken.None));
        }

        sequences.Take(49).ToList().ForEach(spool.Ack);
        await spool.AppendAsync(RouterTestEvents.Create("last"), CancellationToken.None);

        Assert.That(RecordKinds(_directory).Count(k => k == SpoolRecordKind.Acks), Is.EqualTo(1));
        Assert.That(RecoveredAfterACrash().Select(m => m.Event.MessageId), Is.EqualTo(new[] { "m49", "last" }));
        await spool.DisposeAsync();
    }

    [Test]
    public async Task Open_SegmentOfTheJsonRecordFormat_IsStillReplayed_AndNumberingContinues()
    {
        var json = SpoolRecordKind.Message;
        var records = new[]
        {
            new SpoolRecord(json, 1, EventJsonCodec.Serialize(RouterTestEvents.Create("old1"), [])),
            new SpoolRecord(json, 2, EventJsonCodec.Serialize(RouterTestEvents.Create("old2"), [])),
            new SpoolRecord(SpoolRecordKind.Ack, 1, ReadOnlyMemory<byte>.Empty),
        };
        var bytes = new byte[records.Sum(r => r.Size)];
        var offset = 0;
        foreach (var record in records)
        {
            record.WriteTo(bytes.AsSpan(offset));
            offset += record.Size;
        }

        await File.WriteAllBytesAsync(Path.Combine(_directory, "segment-00000000000000000001.spool"), bytes);

        var (spool, recovered) = Open(Options());
        await using var _ = spool;
        Assert.That(recovered.Select(m => (m.Sequence, m.Event.MessageId)), Is.EqualTo(new[] { (2L, "old2") }));
        Assert.That(recovered[0].Event.TryGetTrait("lag", out var lag) && lag.IntegerValue == 42, Is.True);
        Assert.That(await spool.AppendAsync(RouterTestEvents.Create("new"), CancellationToken.None), Is.EqualTo(3));
    }

    /// <summary>What a restart would find if the daemon died now: a copy of the folder, opened.</summary>
    private IReadOnlyList<SpooledMessage> RecoveredAfterACrash()
    {
        var copy = Directory.CreateTempSubdirectory("gordon-spool-crash-").FullName;
        try
        {
            // Finished segments may be retired while this copies, oldest first (a segment's acks can finish messages of
            // older ones). Copying newest first keeps the copy a state a crash could leave: once a segment is copied,
            // an older one is either copied too or was retired with all its messages finished.
            foreach (var file in Directory.GetFiles(_directory).OrderDescending(StringComparer.Ordinal))
            {
                try
                {
                    File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
                }
                catch (FileNotFoundException)
                {
                    // Retired (renamed to a spare or deleted) since the listing: a crash now would not find it either.
                }
            }

            var (spool, recovered) = DurableSpool.Open(Options() with { Directory = copy }, _logger, new FakeTimeProvider());
            spool.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return recovered;
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static List<SpoolRecordKind> RecordKinds(string directory)
    {
        var kinds = new List<SpoolRecordKind>();
        foreach (var path in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            ReadOnlyMemory<byte> content = File.ReadAllBytes(path);
            var salt = SpoolRecord.SaltOf(DurableSpool.FirstSequenceOf(path));
            for (var offset = 0; offset < content.Length && SpoolRecord.TryRead(content[offset..], salt, out var record, out _); offset += record.Size)
            {
                kinds.Add(record.Kind);
            }
        }

        return kinds;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // The writer task retires acks asynchronously; a bounded wait for that, not a timing assertion.
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.That(condition(), Is.True, "the spool did not catch up within 5 s");
    }

    private string[] Segments() => Directory.GetFiles(_directory, "segment-*");

    private string[] Spares() => Directory.GetFiles(_directory, "spare.*");

    [Test]
    public async Task Append_EventWithTheRecipeOfALoadedRebuilder_IsKeptAsItsBodyAndRebuiltAtTheNextOpen()
    {
        var rebuilder = new RecordingRebuilder();
        var rebuilders = Rebuilders(("maker", rebuilder));
        var (spool, _) = DurableSpool.Open(Options(), _logger, TimeProvider.System, rebuilders: rebuilders);
        var original = WithRecipe(RouterTestEvents.Create("m1"), new EventRecipe("maker", "post"));
        await spool.AppendAsync(original, CancellationToken.None);
        await spool.DisposeAsync();

        var segment = File.ReadAllBytes(Directory.GetFiles(_directory).Single());
        Assert.That(Encoding.UTF8.GetString(segment), Does.Contain("{\"id\":\"m1\"}").And.Not.Contain("cluster"), "the body, not the traits");

        var (again, recovered) = DurableSpool.Open(Options(), _logger, TimeProvider.System, rebuilders: rebuilders);
        await using (again)
        {
            var call = rebuilder.Calls.Single();
            Assert.That(call.Recipe, Is.EqualTo(new EventRecipe("maker", "post")));
            Assert.That(call.MessageId, Is.EqualTo("m1"));
            Assert.That(call.Generated, Is.EqualTo(original.Generated));
            Assert.That(call.Raw, Is.EqualTo(original.Raw.ToArray()));
            Assert.That(recovered.Single().Event.EventType, Is.EqualTo("rebuilt.event"));
            Assert.That(again.LiveCount, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Append_RecipeOfAPluginThatIsNotLoaded_KeepsTheWholeEvent()
    {
        var (spool, _) = Open(Options());
        await spool.AppendAsync(WithRecipe(RouterTestEvents.Create("m1"), new EventRecipe("gone", "post")), CancellationToken.None);
        await spool.DisposeAsync();

        var rebuilder = new RecordingRebuilder();
        var (again, recovered) = DurableSpool.Open(Options(), _logger, TimeProvider.System, rebuilders: Rebuilders(("gone", rebuilder)));
        await using (again)
        {
            Assert.That(rebuilder.Calls, Is.Empty);
            Assert.That(recovered.Single().Event.Traits, Is.EqualTo(RouterTestEvents.Create("m1").Traits));
        }
    }

    [Test]
    public async Task Open_RecipeWhosePluginIsGone_ReplaysTheBodyWithoutTraits_AndSaysSo()
    {
        var (spool, _) = DurableSpool.Open(Options(), _logger, TimeProvider.System, rebuilders: Rebuilders(("maker", new RecordingRebuilder())));
        var original = WithRecipe(RouterTestEvents.Create("m1"), new EventRecipe("maker", "post"));
        await spool.AppendAsync(original, CancellationToken.None);
        await spool.DisposeAsync();

        var (again, recovered) = Open(Options());
        await using (again)
        {
            var replayed = recovered.Single().Event;
            Assert.That(replayed.MessageId, Is.EqualTo("m1"));
            Assert.That(replayed.EventType, Is.EqualTo(original.EventType));
            Assert.That(replayed.Generated, Is.EqualTo(original.Generated));
            Assert.That(replayed.Raw.ToArray(), Is.EqualTo(original.Raw.ToArray()));
            Assert.That(replayed.Traits, Is.Empty);
            Assert.That(_logger.Entries, Has.Some.Matches<(LogLevel Level, string Message)>(e => e.Message.Contains("'maker', which is not loaded", StringComparison.Ordinal)));
        }
    }

    [Test]
    public async Task Open_RebuilderThatThrows_ReplaysThatBodyWithoutTraits_AndRebuildsTheRest()
    {
        var working = Rebuilders(("maker", new RecordingRebuilder()));
        var (spool, _) = DurableSpool.Open(Options(), _logger, TimeProvider.System, rebuilders: working);
        await spool.AppendAsync(WithRecipe(RouterTestEvents.Create("m1"), new EventRecipe("maker", "post")), CancellationToken.None);
        await spool.AppendAsync(WithRecipe(RouterTestEvents.Create("m2"), new EventRecipe("other", "post")), CancellationToken.None);
        await spool.DisposeAsync();

        var failing = Rebuilders(("maker", new RecordingRebuilder(new InvalidOperationException("parser broke"))), ("other", new RecordingRebuilder()));
        var (again, recovered) = DurableSpool.Open(Options(), _logger, TimeProvider.System, rebuilders: failing);
        await using (again)
        {
            Assert.That(recovered.Select(m => m.Event.MessageId), Is.EqualTo(new[] { "m1", "m2" }));
            Assert.That(recovered[0].Event.Traits, Is.Empty);
            Assert.That(recovered[1].Event.Traits, Is.EqualTo(RouterTestEvents.Create("m2").Traits), "written whole: 'other' was not loaded then");
            Assert.That(_logger.Entries, Has.Some.Matches<(LogLevel Level, string Message)>(e => e.Level == LogLevel.Error && e.Message.Contains("'maker' could not rebuild", StringComparison.Ordinal)));
        }
    }

    private static SpoolRebuilders Rebuilders(params (string Plugin, IEventRebuilder Rebuilder)[] rebuilders) =>
        new(rebuilders.ToDictionary(r => r.Plugin, r => r.Rebuilder, StringComparer.Ordinal));

    private static Event WithRecipe(Event @event, EventRecipe recipe) => new()
    {
        MessageId = @event.MessageId,
        EventType = @event.EventType,
        Generated = @event.Generated,
        Traits = @event.Traits,
        Raw = @event.Raw,
        Recipe = recipe,
    };

    private SpoolOptions Options() => SpoolOptions.Default with { Enabled = true, Directory = _directory };

    private (DurableSpool Spool, IReadOnlyList<SpooledMessage> Unfinished) Open(SpoolOptions options) =>
        DurableSpool.Open(options, _logger, TimeProvider.System);
}
