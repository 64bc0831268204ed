using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace Gordon.Core.Spool;

/// <summary>
/// The on-disk write-ahead spool: a message is appended before its source is acknowledged and leaves when it
/// reached <c>done</c> or the dead-letter file.
/// </summary>
/// <remarks>
/// Group commit without a writer task: an append encodes its record on the caller's thread, copies it into the pending
/// buffer under a short lock and, when no write is under way, writes that buffer itself (the caller becomes the
/// flusher); appends that arrive meanwhile wait on their group's one completion and are written together by the
/// flusher's next round, which runs on the thread pool so the first caller can answer. Acks only update the counts
/// and queue an ack number; the numbers ride with the next write, or the interval tick writes them, so an idle spool
/// still records them within <see cref="SpoolOptions.FsyncInterval"/>. A crash before that only replays finished
/// messages, which idempotent ids make harmless; a clean stop writes them. Finished segment files are kept as spares
/// and written over by later segments (<see cref="ReusableSegmentStream"/>); records are salted per segment
/// (<see cref="SpoolRecord.Salt"/>), so what a reused file held before never reads as a record of its new use.
/// </remarks>
internal sealed partial class DurableSpool : IAsyncDisposable
{
    private const string SegmentPrefix = "segment-";
    private const string SegmentSuffix = ".spool";

    // A finished segment becomes a spare ("spare.segment-….spool") that the next rotation reuses; a few cover the
    // segments that finish between two rotations.
    private const string SparePrefix = "spare.";
    private const int MaxSpares = 2;
    private const int BufferSize = 256 * 1024;

    private readonly SpoolOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<string, Stream> _openSegment;
    private readonly SpoolRebuilders _rebuilders;
    private readonly bool _reuseSegments;

    // _gate guards the pending buffer and group, the flusher role, and the bookkeeping of live messages and segments.
    private readonly Lock _gate = new();
    private readonly List<Segment> _segments;
    private readonly Dictionary<long, (Segment Segment, int Size)> _live = [];
    private readonly List<long> _pendingAcks = [];
    private readonly List<string> _spares = [];
    private byte[] _pending = new byte[BufferSize];
    private int _pendingUsed;
    private byte[] _spare = new byte[BufferSize];
    private SpoolCommitGroup? _pendingGroup;
    private bool _flushing;
    private bool _closed;
    private TaskCompletionSource? _drained;
    private Segment _currentSegment = null!;
    private long _nextSequence;

    // The flusher writes and replaces _current without a lock (there is one flusher at a time); the tick's fsync beside a
    // write and the disposal of a replaced segment take _fileLock, so the fsync never meets a disposed handle and a
    // rotation never waits for an fsync.
    private readonly Lock _fileLock = new();
    private Stream _current = null!;
    private int _dirty;
    private Task _background = Task.CompletedTask;

    private readonly CancellationTokenSource _stopTicks = new();
    private readonly Task _ticks;

    private long _liveBytes;
    private int _liveCount;

    private DurableSpool(
        SpoolOptions options,
        ILogger logger,
        TimeProvider time,
        List<Segment> recovered,
        List<string> spares,
        long nextSequence,
        Func<string, Stream>? openSegment,
        SpoolRebuilders rebuilders)
    {
        _rebuilders = rebuilders;
        _openSegment = openSegment ?? (path => new ReusableSegmentStream(path));

        // A test's segment streams are new files each time.
        _reuseSegments = openSegment is null;
        _options = options;
        _logger = logger;
        _time = time;
        _segments = recovered;
        _nextSequence = nextSequence;
        foreach (var segment in recovered)
        {
            foreach (var (sequence, size) in segment.Recovered)
            {
                _live[sequence] = (segment, size);
                segment.Live++;
                _liveBytes += size;
                _liveCount++;
            }

            segment.Recovered.Clear();
        }

        DeletePaths(spares.Skip(_reuseSegments ? MaxSpares : 0).ToList());
        _spares.AddRange(spares.Take(_reuseSegments ? MaxSpares : 0));
        RetireSegments(TakeFinishedSegments());
        (_current, _currentSegment) = StartSegment(nextSequence);
        _segments.Add(_currentSegment);
        _ticks = Task.Run(TickLoopAsync);
    }

    /// <summary>Bytes of unfinished messages.</summary>
    public long LiveBytes => Interlocked.Read(ref _liveBytes);

    /// <summary>Unfinished messages.</summary>
    public int LiveCount => Volatile.Read(ref _liveCount);

    /// <summary>Opens the spool folder, recovering what a previous run left: the unfinished messages are returned for replay.</summary>
    /// <param name="options">The spool settings.</param>
    /// <param name="logger">Where recovery problems and write failures are reported.</param>
    /// <param name="time">The clock of the fsync interval.</param>
    /// <param name="openSegment">Creates a new segment file; tests pass one that fails like a full disk.</param>
    /// <param name="rebuilders">
    /// The plugins that rebuild their events: appended events of theirs are kept as their bodies, and kept ones are
    /// rebuilt by them at replay. None when null.
    /// </param>
    public static (DurableSpool Spool, IReadOnlyList<SpooledMessage> Unfinished) Open(
        SpoolOptions options, ILogger logger, TimeProvider time, Func<string, Stream>? openSegment = null, SpoolRebuilders? rebuilders = null)
    {
        rebuilders ??= SpoolRebuilders.None;
        Directory.CreateDirectory(options.Directory);
        var segments = new List<Segment>();
        var messages = new SortedDictionary<long, (Segment Segment, SpoolRecord Record)>();
        var acked = new HashSet<long>();
        long next = 1;
        foreach (var path in Directory.GetFiles(options.Directory, SegmentPrefix + "*" + SegmentSuffix).Order(StringComparer.Ordinal))
        {
            ReadOnlyMemory<byte> content = File.ReadAllBytes(path);
            var salt = SpoolRecord.SaltOf(FirstSequenceOf(path));
            if (!SpoolRecord.TryRead(content, salt, out _, out _) && SpoolRecord.TryRead(content, 0, out _, out _))
            {
                // Written before segments were salted (and reused): read as it is, deleted rather than reused.
                salt = 0;
            }

            var segment = new Segment(path, salt);
            segments.Add(segment);
            var offset = 0;
            while (offset < content.Length)
            {
                if (SpoolRecord.IsEnd(content.Span[offset..]))
                {
                    // Past the last record: zeros, or what the file held in its previous use.
                    break;
                }

                if (!SpoolRecord.TryRead(content[offset..], salt, out var record, out var problem))
                {
                    // The tail after a torn record cannot be trusted: its messages were never acknowledged to a source.
                    Log.TornRecord(logger, path, offset, problem!, content.Length - offset);
                    break;
                }

                switch (record.Kind)
                {
                    case SpoolRecordKind.Message or SpoolRecordKind.Event or SpoolRecordKind.Recipe:
                        messages[record.Sequence] = (segment, record);
                        break;
                    case SpoolRecordKind.Ack:
                        acked.Add(record.Sequence);
                        break;
                    default:
                        for (var acks = record.Payload.Span; !acks.IsEmpty; acks = acks[sizeof(long)..])
                        {
                            acked.Add(BinaryPrimitives.ReadInt64LittleEndian(acks));
                        }

                        break;
                }

                next = Math.Max(next, record.Sequence + 1);
                offset += record.Size;
            }
        }

        var unfinished = new List<SpooledMessage>();
        foreach (var (sequence, (segment, record)) in messages)
        {
            if (acked.Contains(sequence))
            {
                continue;
            }

            try
            {
                var @event = record.Kind switch
                {
                    SpoolRecordKind.Event => SpoolEventCodec.Read(record.Payload.Span),
                    SpoolRecordKind.Recipe => rebuilders.Rebuild(SpoolEventCodec.ReadRecipe(record.Payload.Span), sequence, logger),
                    _ => EventJsonCodec.Deserialize(record.Payload).Event,
                };
                unfinished.Add(new SpooledMessage(sequence, @event));
                segment.Recovered.Add((sequence, record.Size));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
            {
                Log.UnreadableMessage(logger, segment.Path, sequence, e.Message);
            }
        }

        if (unfinished.Count > 0)
        {
            Log.Recovered(logger, unfinished.Count, options.Directory);
        }

        var spares = Directory.GetFiles(options.Directory, SparePrefix + SegmentPrefix + "*" + SegmentSuffix).Order(StringComparer.Ordinal).ToList();
        return (new DurableSpool(options, logger, time, segments, spares, next, openSegment, rebuilders), unfinished);
    }

    /// <summary>Appends a message; completes when it is as durable as the fsync policy promises.</summary>
    /// <exception cref="PipelineUnavailableException">The spool is full or cannot write.</exception>
    public ValueTask<long> AppendAsync(Event @event, CancellationToken cancellationToken)
    {
        // Encoded and checksummed outside the lock, so concurrent requests do that work in parallel. An event its plugin
        // can rebuild is kept as its body: the traits are most of the encoding work and a third of the bytes.
        var recipe = _rebuilders.RecipeOf(@event);
        var kind = recipe is null ? SpoolRecordKind.Event : SpoolRecordKind.Recipe;
        var record = ArrayPool<byte>.Shared.Rent(
            SpoolRecord.HeaderSize + (recipe is null ? SpoolEventCodec.MaxSize(@event) : SpoolEventCodec.MaxRecipeSize(@event, recipe)));
        long sequence;
        SpoolCommitGroup group;
        bool flush;
        try
        {
            var length = recipe is null
                ? SpoolEventCodec.Write(@event, record.AsSpan(SpoolRecord.HeaderSize))
                : SpoolEventCodec.WriteRecipe(@event, recipe, record.AsSpan(SpoolRecord.HeaderSize));
            var payloadCrc = Crc32C.Compute(record.AsSpan(SpoolRecord.HeaderSize, length));
            var size = SpoolRecord.HeaderSize + length;
            if (Interlocked.Add(ref _liveBytes, size) > _options.MaxSize)
            {
                Interlocked.Add(ref _liveBytes, -size);
                throw new PipelineUnavailableException(
                    PipelineUnavailableReason.Full,
                    $"the spool is full ({LiveBytes} bytes of unfinished messages; core.spool.max_size is {_options.MaxSize})");
            }

            lock (_gate)
            {
                if (_closed)
                {
                    Interlocked.Add(ref _liveBytes, -size);
                    throw new PipelineUnavailableException(PipelineUnavailableReason.Stopping, "the spool is closed");
                }

                sequence = _nextSequence++;
                SpoolRecord.WriteHeader(record, kind, sequence, length, payloadCrc);
                EnsurePending(size);
                record.AsSpan(0, size).CopyTo(_pending.AsSpan(_pendingUsed));
                _pendingUsed += size;
                group = _pendingGroup ??= new SpoolCommitGroup();
                group.Messages.Add((sequence, size));
                flush = !_flushing;
                _flushing = true;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(record);
        }

        if (flush)
        {
            // No write under way: this caller writes its own group now, with no hand-off to another thread.
            Flush(FlushMode.Request);
        }

        var written = group.Written;
        return written.IsCompletedSuccessfully ? new ValueTask<long>(sequence) : WaitWrittenAsync(written, sequence, cancellationToken);
    }

    /// <summary>Records that a message finished; it will not be replayed.</summary>
    public void Ack(long sequence)
    {
        lock (_gate)
        {
            if (Retire(sequence))
            {
                _pendingAcks.Add(sequence);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopTicks.CancelAsync().ConfigureAwait(false);
        await _ticks.ConfigureAwait(false);
        Task? drained = null;
        lock (_gate)
        {
            _closed = true;
            if (_flushing)
            {
                _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }
            else
            {
                _flushing = true;
            }
        }

        if (drained is not null)
        {
            // The flusher writes every append accepted before the close; then the role is free for good.
            await drained.ConfigureAwait(false);
            lock (_gate)
            {
                _flushing = true;
            }
        }

        // The acks still queued, so a restart replays only what did not finish.
        Flush(FlushMode.Final);
        await _background.ConfigureAwait(false);
        try
        {
            FlushToDisk(_current);
        }
        catch (IOException e)
        {
            Log.WriteFailed(_logger, _currentSegment.Path, e);
        }

        await _current.DisposeAsync().ConfigureAwait(false);
        _stopTicks.Dispose();
        bool empty;
        lock (_gate)
        {
            empty = _live.Count == 0;
        }

        if (empty)
        {
            // A clean stop leaves an empty spool.
            DeletePaths([.. _segments.Select(s => s.Path), .. _spares]);
        }
    }

    private async ValueTask<long> WaitWrittenAsync(Task written, long sequence, CancellationToken cancellationToken)
    {
        try
        {
            await written.WaitAsync(cancellationToken).ConfigureAwait(false);
            return sequence;
        }
        catch (OperationCanceledException)
        {
            // Written or not, the source was not acknowledged: retire the message once it is in the file.
            _ = written.ContinueWith(
                static (_, state) =>
                {
                    var (spool, sequence) = ((DurableSpool, long))state!;
                    spool.Ack(sequence);
                },
                (this, sequence),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>
    /// Writes pending groups until none is left, then gives up the flusher role; the caller holds it. A request writes
    /// one round (its own group) and leaves the rest to the thread pool, so its answer does not wait for later groups.
    /// </summary>
    private void Flush(FlushMode mode)
    {
        for (var round = 0; ; round++)
        {
            byte[] buffer = [];
            var used = 0;
            SpoolCommitGroup? group = null;
            TaskCompletionSource? drained = null;
            bool work;
            lock (_gate)
            {
                // Acks alone are written by the close, and by the tick (the first round of a background flush).
                work = _pendingUsed > 0
                    || (_pendingAcks.Count > 0 && (mode == FlushMode.Final || (mode == FlushMode.Background && round == 0)));
                if (!work)
                {
                    _flushing = false;
                    (drained, _drained) = (_drained, null);
                }
                else if (mode == FlushMode.Request && round > 0)
                {
                    // The role passes to a pool thread with the pending group: the flag stays set.
                    ThreadPool.UnsafeQueueUserWorkItem(static spool => spool.Flush(FlushMode.Background), this, preferLocal: false);
                    return;
                }
                else
                {
                    // Finished messages ride along with every write.
                    AppendPendingAcks();
                    SpoolRecord.Salt(_pending.AsSpan(0, _pendingUsed), _currentSegment.Salt);
                    buffer = _pending;
                    used = _pendingUsed;
                    (_pending, _pendingUsed, _spare) = (_spare, 0, buffer);
                    (group, _pendingGroup) = (_pendingGroup, null);
                    if (group is not null)
                    {
                        // Counted as live before the write, so a failed write is undone by the same path as an ack.
                        foreach (var (sequence, size) in group.Messages)
                        {
                            _live[sequence] = (_currentSegment, size);
                            _currentSegment.Live++;
                        }

                        Interlocked.Add(ref _liveCount, group.Messages.Count);
                    }
                }
            }

            if (!work)
            {
                drained?.TrySetResult();
                return;
            }

            var failure = Write(buffer, used, durable: group is not null && _options.Fsync == SpoolFsync.Always);
            if (failure is not null && group is not null)
            {
                lock (_gate)
                {
                    foreach (var (sequence, _) in group.Messages)
                    {
                        Retire(sequence);
                    }
                }
            }

            group?.Complete(failure);
            if (buffer.Length > 16 * BufferSize)
            {
                // One burst of large events should not pin a large buffer for the rest of the run.
                lock (_gate)
                {
                    _spare = new byte[BufferSize];
                }
            }

            if (_current.Position >= _options.SegmentSize)
            {
                RotateSegment();
            }

            if (TakeFinishedSegments() is { } finished)
            {
                // Unlinking a segment of many megabytes takes the file system a while: not on an append's path.
                InBackground(() => RetireSegments(finished));
            }
        }
    }

    /// <summary>Writes one buffer of records; a failure is returned for the group's appends, and the file is cut back to its last whole record.</summary>
    private PipelineUnavailableException? Write(byte[] buffer, int used, bool durable)
    {
        var start = _current.Position;
        try
        {
            _current.Write(buffer, 0, used);

            // To the operating system: from here a crash of the daemon loses nothing.
            _current.Flush();
            Volatile.Write(ref _dirty, 1);
            if (durable)
            {
                FlushToDisk(_current);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException or NotSupportedException)
        {
            // Any of these must fail the group, not escape: the flusher role would never be given back.
            Log.WriteFailed(_logger, _currentSegment.Path, e);
            RecoverFromWriteFailure(start);
            return new PipelineUnavailableException($"the spool cannot write to {_currentSegment.Path}: {e.Message}", e);
        }
    }

    private async Task TickLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.FsyncInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopTicks.Token).ConfigureAwait(false))
            {
                Tick();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the close writes what is left.
        }
    }

    /// <summary>
    /// Every fsync interval: the file to disk if it was written since the last tick (beside a running write, which
    /// never waits for it), then the queued acks, if no write is under way to take them.
    /// </summary>
    private void Tick()
    {
        if (Volatile.Read(ref _dirty) == 1)
        {
            lock (_fileLock)
            {
                if (Volatile.Read(ref _current) is var file && IsFile(file))
                {
                    Volatile.Write(ref _dirty, 0);
                    try
                    {
                        FlushToDisk(file);
                    }
                    catch (Exception e) when (e is IOException or ObjectDisposedException)
                    {
                        Log.WriteFailed(_logger, _currentSegment.Path, e);
                    }
                }
            }
        }

        lock (_gate)
        {
            if (_flushing || _closed)
            {
                return;
            }

            _flushing = true;
        }

        if (Volatile.Read(ref _dirty) == 1 && !IsFile(_current))
        {
            // A stream that is not a file (tests) is not safe beside a write: fsync it holding the flusher role.
            Volatile.Write(ref _dirty, 0);
            try
            {
                FlushToDisk(_current);
            }
            catch (IOException e)
            {
                Log.WriteFailed(_logger, _currentSegment.Path, e);
            }
        }

        Flush(FlushMode.Background);
    }

    private void AppendPendingAcks()
    {
        if (_pendingAcks.Count == 0)
        {
            return;
        }

        var size = SpoolRecord.HeaderSize + (_pendingAcks.Count * sizeof(long));
        EnsurePending(size);
        var record = _pending.AsSpan(_pendingUsed, size);
        var highest = 0L;
        for (var i = 0; i < _pendingAcks.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(record[(SpoolRecord.HeaderSize + (i * sizeof(long)))..], _pendingAcks[i]);
            highest = Math.Max(highest, _pendingAcks[i]);
        }

        SpoolRecord.WriteHeader(record, SpoolRecordKind.Acks, highest, size - SpoolRecord.HeaderSize, Crc32C.Compute(record[SpoolRecord.HeaderSize..]));
        _pendingUsed += size;
        _pendingAcks.Clear();
    }

    private void EnsurePending(int size)
    {
        if (_pending.Length - _pendingUsed < size)
        {
            Array.Resize(ref _pending, Math.Max(_pendingUsed + size, _pending.Length * 2));
        }
    }

    /// <summary>A segment file, whose fsync is safe beside a write on another thread (an fsync of its descriptor).</summary>
    private static bool IsFile(Stream stream) => stream is ReusableSegmentStream or FileStream;

    private static void FlushToDisk(Stream stream)
    {
        switch (stream)
        {
            case ReusableSegmentStream segment:
                segment.FlushToDisk();
                break;
            case FileStream file:
                file.Flush(flushToDisk: true);
                break;
            default:
                stream.Flush();
                break;
        }
    }

    /// <summary>Drops a message from the counts; false when it was not live (acked twice, or its write failed).</summary>
    private bool Retire(long sequence)
    {
        if (!_live.Remove(sequence, out var entry))
        {
            return false;
        }

        entry.Segment.Live--;
        Interlocked.Add(ref _liveBytes, -entry.Size);
        Interlocked.Decrement(ref _liveCount);
        return true;
    }

    private void RecoverFromWriteFailure(long goodLength)
    {
        // Cut the half-written batch off, so the segment stays readable to its end; if even that fails, start afresh.
        try
        {
            _current.SetLength(goodLength);
            _current.Position = goodLength;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
        {
            RotateSegment();
        }
    }

    private void RotateSegment()
    {
        long next;
        lock (_gate)
        {
            next = _nextSequence;
        }

        Stream fresh;
        Segment segment;
        try
        {
            (fresh, segment) = StartSegment(next);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The current segment just grows; the next write or rotation will tell whether the disk recovered.
            Log.WriteFailed(_logger, _currentSegment.Path, e);
            return;
        }

        var old = _current;
        var oldPath = _currentSegment.Path;
        Volatile.Write(ref _current, fresh);

        lock (_gate)
        {
            _currentSegment = segment;
            _segments.Add(segment);
        }

        // The closed segment's fsync (up to a whole segment with a long interval) must not stall the appends waiting
        // for the next write: it runs beside them. With "always" its messages are on disk already.
        var durable = _options.Fsync == SpoolFsync.Always;
        InBackground(() =>
        {
            try
            {
                if (!durable)
                {
                    FlushToDisk(old);
                }
            }
            catch (IOException e)
            {
                Log.WriteFailed(_logger, oldPath, e);
            }
            finally
            {
                // Not while the tick may still be fsyncing the old handle.
                lock (_fileLock)
                {
                    old.Dispose();
                }
            }
        });
    }

    /// <summary>
    /// Runs file work the appends need not wait for (closing a segment, deleting finished ones) after the work queued
    /// before it; only the flusher queues, and the close waits for all of it.
    /// </summary>
    private void InBackground(Action work) =>
        _background = _background.ContinueWith(static (_, state) => ((Action)state!)(), work, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    private (Stream Stream, Segment Segment) StartSegment(long nextSequence)
    {
        var path = Path.Combine(_options.Directory, SegmentPrefix + nextSequence.ToString("D20", CultureInfo.InvariantCulture) + SegmentSuffix);
        while (File.Exists(path))
        {
            path = path[..^SegmentSuffix.Length] + "-" + SegmentSuffix;
        }

        var segment = new Segment(path, SpoolRecord.SaltOf(nextSequence));
        string? spare;
        lock (_gate)
        {
            spare = _spares.Count > 0 ? _spares[^1] : null;
            _spares.Remove(spare!);
        }

        if (spare is not null)
        {
            try
            {
                File.Move(spare, path);
                return (new ReusableSegmentStream(path, reuse: true), segment);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A new file instead.
                Log.WriteFailed(_logger, spare, e);
                DeletePaths([spare, path]);
            }
        }

        return (_openSegment(path), segment);
    }

    /// <summary>The first sequence a segment's name states (<c>segment-00000000000000000042.spool</c>).</summary>
    internal static long FirstSequenceOf(string path)
    {
        var name = Path.GetFileName(path.AsSpan())[SegmentPrefix.Length..];
        var digits = name.IndexOfAnyExceptInRange('0', '9');
        return long.TryParse(digits < 0 ? name : name[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : 0;
    }

    /// <summary>
    /// Keeps finished segments as spares while there are fewer than <see cref="MaxSpares"/> (when this spool reuses
    /// files, and the segment is salted, so its old records can never be read as new ones); deletes the rest.
    /// </summary>
    private void RetireSegments(List<Segment>? finished)
    {
        foreach (var segment in finished ?? [])
        {
            bool keep;
            lock (_gate)
            {
                keep = _reuseSegments && segment.Salt != 0 && _spares.Count < MaxSpares;
            }

            if (!keep)
            {
                DeletePaths([segment.Path]);
                continue;
            }

            var spare = Path.Combine(Path.GetDirectoryName(segment.Path)!, SparePrefix + Path.GetFileName(segment.Path));
            try
            {
                File.Move(segment.Path, spare);
                lock (_gate)
                {
                    _spares.Add(spare);
                }
            }
            catch (IOException e)
            {
                Log.DeleteFailed(_logger, segment.Path, e);
                DeletePaths([segment.Path]);
            }
        }
    }

    /// <summary>
    /// Takes the oldest segments while they hold no unfinished message. Only a prefix goes: a segment's ack records
    /// may finish messages of older segments, so deleting out of order could resurrect them.
    /// </summary>
    private List<Segment>? TakeFinishedSegments()
    {
        List<Segment>? finished = null;
        lock (_gate)
        {
            while (_segments.Count > 0 && _segments[0] != _currentSegment && _segments[0].Live == 0)
            {
                (finished ??= []).Add(_segments[0]);
                _segments.RemoveAt(0);
            }
        }

        return finished;
    }

    private void DeletePaths(List<string>? paths)
    {
        foreach (var path in paths ?? [])
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException e)
            {
                Log.DeleteFailed(_logger, path, e);
            }
        }
    }

    private enum FlushMode
    {
        /// <summary>An append's caller: writes its own group, leaves the rest to the pool, leaves acks for later.</summary>
        Request,

        /// <summary>A pool thread or the tick: writes until nothing is pending, acks included.</summary>
        Background,

        /// <summary>The close: also writes acks that are all that is left.</summary>
        Final,
    }

    private sealed class Segment(string path, uint salt)
    {
        public string Path { get; } = path;

        /// <summary>The salt of its records' CRCs; 0 for a segment written before salting.</summary>
        public uint Salt { get; } = salt;

        public int Live { get; set; }

        public List<(long Sequence, int Size)> Recovered { get; } = [];
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Spool segment {Path}: skipped the rest after offset {Offset} ({Problem}; {Bytes} bytes ignored)")]
        public static partial void TornRecord(ILogger logger, string path, int offset, string problem, int bytes);

        [LoggerMessage(EventId = 1502, Level = LogLevel.Error, Message = "Spool segment {Path}: message {Sequence} cannot be read and is skipped: {Reason}")]
        public static partial void UnreadableMessage(ILogger logger, string path, long sequence, string reason);

        [LoggerMessage(EventId = 1503, Level = LogLevel.Information, Message = "Spool: {Count} unfinished messages from the last run in {Directory} are replayed")]
        public static partial void Recovered(ILogger logger, int count, string directory);

        [LoggerMessage(EventId = 1504, Level = LogLevel.Error, Message = "Spool: cannot write {Path}")]
        public static partial void WriteFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 1505, Level = LogLevel.Warning, Message = "Spool: cannot delete {Path}")]
        public static partial void DeleteFailed(ILogger logger, string path, Exception exception);
    }
}
