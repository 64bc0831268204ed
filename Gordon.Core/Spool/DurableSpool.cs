using System.Globalization;
using System.Threading.Channels;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace Gordon.Core.Spool;

/// <summary>
/// The on-disk write-ahead spool: a message is appended before its source is acknowledged and leaves when it
/// reached <c>done</c> or the dead-letter file. One writer task owns the files, so appends from many
/// connections become one write (and one fsync) per batch.
/// </summary>
internal sealed partial class DurableSpool : IAsyncDisposable
{
    private const string SegmentPrefix = "segment-";
    private const string SegmentSuffix = ".spool";
    private const int MaxBatch = 4096;

    private readonly SpoolOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });

    // Owned by the writer task after construction.
    private readonly List<Segment> _segments;
    private readonly Dictionary<long, (Segment Segment, int Size)> _live = [];
    private readonly Task _writer;
    private readonly Func<string, Stream> _openSegment;
    private Stream _current = null!;
    private Segment _currentSegment = null!;
    private long _nextSequence;
    private long _lastFsync;
    private bool _dirty;
    private Task _backgroundFsync = Task.CompletedTask;

    private long _liveBytes;
    private int _liveCount;

    private DurableSpool(SpoolOptions options, ILogger logger, TimeProvider time, List<Segment> recovered, long nextSequence, Func<string, Stream>? openSegment)
    {
        _openSegment = openSegment ?? (path => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0, FileOptions.None));
        _options = options;
        _logger = logger;
        _time = time;
        _segments = recovered;
        _nextSequence = nextSequence;
        _lastFsync = time.GetTimestamp();
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

        DeleteFinishedSegments();
        StartSegment();
        _writer = Task.Run(WriteLoopAsync);
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
    public static (DurableSpool Spool, IReadOnlyList<SpooledMessage> Unfinished) Open(
        SpoolOptions options, ILogger logger, TimeProvider time, Func<string, Stream>? openSegment = null)
    {
        Directory.CreateDirectory(options.Directory);
        var segments = new List<Segment>();
        var messages = new SortedDictionary<long, (Segment Segment, ReadOnlyMemory<byte> Payload)>();
        var acked = new HashSet<long>();
        long next = 1;
        foreach (var path in Directory.GetFiles(options.Directory, SegmentPrefix + "*" + SegmentSuffix).Order(StringComparer.Ordinal))
        {
            var segment = new Segment(path);
            segments.Add(segment);
            ReadOnlyMemory<byte> content = File.ReadAllBytes(path);
            var offset = 0;
            while (offset < content.Length)
            {
                if (!SpoolRecord.TryRead(content[offset..], out var record, out var problem))
                {
                    // The tail after a torn record cannot be trusted: its messages were never acknowledged to a source.
                    Log.TornRecord(logger, path, offset, problem!, content.Length - offset);
                    break;
                }

                if (record.Kind == SpoolRecordKind.Message)
                {
                    messages[record.Sequence] = (segment, record.Payload);
                }
                else
                {
                    acked.Add(record.Sequence);
                }

                next = Math.Max(next, record.Sequence + 1);
                offset += record.Size;
            }
        }

        var unfinished = new List<SpooledMessage>();
        foreach (var (sequence, (segment, payload)) in messages)
        {
            if (acked.Contains(sequence))
            {
                continue;
            }

            try
            {
                unfinished.Add(new SpooledMessage(sequence, EventJsonCodec.Deserialize(payload).Event));
                segment.Recovered.Add((sequence, payload.Length + SpoolRecord.HeaderSize));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                Log.UnreadableMessage(logger, segment.Path, sequence, e.Message);
            }
        }

        if (unfinished.Count > 0)
        {
            Log.Recovered(logger, unfinished.Count, options.Directory);
        }

        return (new DurableSpool(options, logger, time, segments, next, openSegment), unfinished);
    }

    /// <summary>Appends a message; completes when it is as durable as the fsync policy promises.</summary>
    /// <exception cref="PipelineUnavailableException">The spool is full or cannot write.</exception>
    public async ValueTask<long> AppendAsync(Event @event, CancellationToken cancellationToken)
    {
        var payload = EventJsonCodec.Serialize(@event, []);
        var size = payload.Length + SpoolRecord.HeaderSize;
        if (Interlocked.Add(ref _liveBytes, size) > _options.MaxSize)
        {
            Interlocked.Add(ref _liveBytes, -size);
            throw new PipelineUnavailableException(
                PipelineUnavailableReason.Full,
                $"the spool is full ({LiveBytes} bytes of unfinished messages; core.spool.max_size is {_options.MaxSize})");
        }

        var completion = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writes.Writer.TryWrite(new PendingWrite(payload, completion)))
        {
            Interlocked.Add(ref _liveBytes, -size);
            throw new PipelineUnavailableException(PipelineUnavailableReason.Stopping, "the spool is closed");
        }

        try
        {
            return await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Written or not, the source was not acknowledged: let the writer retire it once it has a number.
            _ = completion.Task.ContinueWith(t => Ack(t.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>Records that a message finished; it will not be replayed.</summary>
    public void Ack(long sequence) => _writes.Writer.TryWrite(new PendingWrite(sequence));

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _backgroundFsync.ConfigureAwait(false);
        try
        {
            await _current.FlushAsync().ConfigureAwait(false);
            FlushToDisk(_current);
        }
        catch (IOException e)
        {
            Log.WriteFailed(_logger, _currentSegment.Path, e);
        }

        await _current.DisposeAsync().ConfigureAwait(false);
        if (_live.Count == 0)
        {
            // A clean stop leaves an empty spool.
            foreach (var segment in _segments)
            {
                TryDelete(segment.Path);
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _writes.Reader;
        var completed = new List<(TaskCompletionSource<long> Completion, long Sequence)>();
        var buffer = new byte[256 * 1024];
        var finished = new List<long>();
        while (true)
        {
            if (!reader.TryPeek(out _))
            {
                // Idle: fsync what interval mode left, then wait for work.
                if (_dirty && !await WaitForWorkAsync(reader).ConfigureAwait(false))
                {
                    Fsync();
                }

                if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    return;
                }
            }

            var start = _current.Position;
            completed.Clear();
            var acksOnly = true;
            finished.Clear();
            var used = 0;
            try
            {
                for (var n = 0; n < MaxBatch && reader.TryRead(out var write); n++)
                {
                    var record = write.Payload is { } payload
                        ? new SpoolRecord(SpoolRecordKind.Message, _nextSequence++, payload)
                        : new SpoolRecord(SpoolRecordKind.Ack, write.AckSequence, ReadOnlyMemory<byte>.Empty);
                    if (write.Completion is { } completion)
                    {
                        // Counted as live before the write, so a failed write is undone by the same path as an ack.
                        acksOnly = false;
                        _live[record.Sequence] = (_currentSegment, record.Size);
                        _currentSegment.Live++;
                        Interlocked.Increment(ref _liveCount);
                        completed.Add((completion, record.Sequence));
                    }
                    else
                    {
                        // A lost ack record only means a replay, which idempotent ids make harmless.
                        finished.Add(record.Sequence);
                    }

                    // The whole batch goes to the file in one write: one system call however many connections wait.
                    if (buffer.Length - used < record.Size)
                    {
                        Array.Resize(ref buffer, Math.Max(used + record.Size, buffer.Length * 2));
                    }

                    record.WriteTo(buffer.AsSpan(used));
                    used += record.Size;
                }

                await _current.WriteAsync(buffer.AsMemory(0, used)).ConfigureAwait(false);

                // To the operating system: from here a crash of the daemon loses nothing.
                await _current.FlushAsync().ConfigureAwait(false);
                _dirty = true;
                if (!acksOnly && _options.Fsync == SpoolFsync.Always)
                {
                    Fsync();
                }
                else if (_time.GetElapsedTime(_lastFsync) >= _options.FsyncInterval)
                {
                    FsyncInBackground();
                }
            }
            catch (IOException e)
            {
                Log.WriteFailed(_logger, _currentSegment.Path, e);
                foreach (var (completion, sequence) in completed)
                {
                    Retire(sequence);
                    completion.TrySetException(new PipelineUnavailableException($"the spool cannot write to {_currentSegment.Path}: {e.Message}", e));
                }

                completed.Clear();
                RecoverFromWriteFailure(start);
            }

            foreach (var (completion, sequence) in completed)
            {
                completion.TrySetResult(sequence);
            }

            foreach (var sequence in finished)
            {
                Retire(sequence);
            }

            if (_current.Length >= _options.SegmentSize)
            {
                RotateSegment();
            }

            DeleteFinishedSegments();
        }
    }

    /// <summary>Waits up to the rest of the fsync interval for more work; false when the interval passed first.</summary>
    private async Task<bool> WaitForWorkAsync(ChannelReader<PendingWrite> reader)
    {
        var remaining = _options.FsyncInterval - _time.GetElapsedTime(_lastFsync);
        if (remaining <= TimeSpan.Zero)
        {
            return false;
        }

        using var timeout = new CancellationTokenSource(remaining, _time);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false) && reader.TryPeek(out _);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Fsync()
    {
        try
        {
            FlushToDisk(_current);
        }
        catch (IOException e)
        {
            Log.WriteFailed(_logger, _currentSegment.Path, e);
        }

        _dirty = false;
        _lastFsync = _time.GetTimestamp();
    }

    /// <summary>
    /// Interval mode: nobody waits for the fsync, so it runs beside the writer instead of stalling the next batch.
    /// fsync on the handle is safe next to writes; one runs at a time, and a busy disk just makes the next one later.
    /// </summary>
    private void FsyncInBackground()
    {
        if (!_backgroundFsync.IsCompleted)
        {
            return;
        }

        if (_current is not FileStream file)
        {
            Fsync();
            return;
        }

        var handle = file.SafeFileHandle;
        var path = _currentSegment.Path;
        _dirty = false;
        _lastFsync = _time.GetTimestamp();
        _backgroundFsync = Task.Run(() =>
        {
            try
            {
                RandomAccess.FlushToDisk(handle);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                Log.WriteFailed(_logger, path, e);
            }
        });
    }

    private static void FlushToDisk(Stream stream)
    {
        if (stream is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
        else
        {
            stream.Flush();
        }
    }

    private void Retire(long sequence)
    {
        if (_live.Remove(sequence, out var entry))
        {
            entry.Segment.Live--;
            Interlocked.Add(ref _liveBytes, -entry.Size);
            Interlocked.Decrement(ref _liveCount);
        }
    }

    private void RecoverFromWriteFailure(long goodLength)
    {
        // Cut the half-written batch off, so the segment stays readable to its end; if even that fails, start afresh.
        try
        {
            _current.SetLength(goodLength);
            _current.Position = goodLength;
        }
        catch (IOException)
        {
            RotateSegment();
        }
    }

    private void RotateSegment()
    {
        _backgroundFsync.Wait();
        try
        {
            FlushToDisk(_current);
        }
        catch (IOException e)
        {
            Log.WriteFailed(_logger, _currentSegment.Path, e);
        }

        _current.Dispose();
        StartSegment();
    }

    private void StartSegment()
    {
        var path = Path.Combine(_options.Directory, SegmentPrefix + _nextSequence.ToString("D20", CultureInfo.InvariantCulture) + SegmentSuffix);
        while (File.Exists(path))
        {
            path = path[..^SegmentSuffix.Length] + "-" + SegmentSuffix;
        }

        _current = _openSegment(path);
        _currentSegment = new Segment(path);
        _segments.Add(_currentSegment);
    }

    /// <summary>
    /// Deletes the oldest segments while they hold no unfinished message. Only a prefix goes: a segment's ack
    /// records may finish messages of older segments, so deleting out of order could resurrect them.
    /// </summary>
    private void DeleteFinishedSegments()
    {
        while (_segments.Count > 0 && _segments[0] != _currentSegment && _segments[0].Live == 0)
        {
            TryDelete(_segments[0].Path);
            _segments.RemoveAt(0);
        }
    }

    private void TryDelete(string path)
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

    private sealed class Segment(string path)
    {
        public string Path { get; } = path;

        public int Live { get; set; }

        public List<(long Sequence, int Size)> Recovered { get; } = [];
    }

    private readonly struct PendingWrite
    {
        public PendingWrite(byte[] payload, TaskCompletionSource<long> completion)
        {
            Payload = payload;
            Completion = completion;
        }

        public PendingWrite(long ackSequence)
        {
            AckSequence = ackSequence;
        }

        public byte[]? Payload { get; }

        public TaskCompletionSource<long>? Completion { get; }

        public long AckSequence { get; }
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
