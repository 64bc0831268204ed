using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gordon.Abstractions.Messaging;
using Gordon.Core.Serialization;

namespace Gordon.Core.Routing;

/// <summary>
/// The dead-letter file, <c>dead-letters.jsonl</c> in the state directory: one JSON object per line
/// per message that could not be delivered. Appends from several workers are serialised and flushed
/// to disk before they return, so a record is never lost to a crash after the router counted it.
/// </summary>
internal sealed class DeadLetterStore : IAsyncDisposable
{
    /// <summary>The file name inside the state directory.</summary>
    public const string FileName = "dead-letters.jsonl";

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FileStream? _stream;
    private bool _disposed;

    /// <summary>Creates the store; the directory and file are created on the first append.</summary>
    /// <param name="stateDirectory">The daemon's state directory.</param>
    /// <param name="timeProvider">The clock (kept for callers that stamp records through the store).</param>
    public DeadLetterStore(string stateDirectory, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        StateDirectory = stateDirectory;
        FilePath = Path.Combine(stateDirectory, FileName);
        _timeProvider = timeProvider;
    }

    /// <summary>The state directory.</summary>
    public string StateDirectory { get; }

    /// <summary>The path of <c>dead-letters.jsonl</c>.</summary>
    public string FilePath { get; }

    // A replay moves the file here first, so appends made while it re-emits go to a fresh file.
    private string ReplayingPath => FilePath + ".replaying";

    /// <summary>The current time of the store's clock, for stamping records.</summary>
    /// <returns>The UTC time.</returns>
    public DateTimeOffset Now() => _timeProvider.GetUtcNow();

    /// <summary>Appends one record and flushes it to disk.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels waiting for the file.</param>
    public Task AppendAsync(DeadLetterRecord record, CancellationToken cancellationToken) =>
        AppendManyAsync([record], cancellationToken);

    /// <summary>Appends records with one flush to disk (the drain writes its leftovers this way).</summary>
    /// <param name="records">The records.</param>
    /// <param name="cancellationToken">Cancels waiting for the file.</param>
    public async Task AppendManyAsync(IReadOnlyList<DeadLetterRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(1024 * records.Count);
        foreach (var record in records)
        {
            Write(buffer, record);
            buffer.Write(NewLine);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var stream = _stream ??= OpenForAppend(FilePath);

            // Not cancellable past this point: a half-written line would corrupt the file.
            await stream.WriteAsync(buffer.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads every readable record, the ones of an unfinished replay included.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, oldest first.</returns>
    public async Task<IReadOnlyList<DeadLetterRecord>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var records = new List<DeadLetterRecord>();
        foreach (var line in await ReadLinesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (TryParse(line.Text, out var record, out _))
            {
                records.Add(record);
            }
        }

        return records;
    }

    /// <summary>Writes one line per dead letter (time, id, phase, handler, error), for <c>gordon deadletters list</c>.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>How many records were listed (unreadable lines are reported but not counted).</returns>
    public async Task<int> ListAsync(TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var count = 0;
        foreach (var line in await ReadLinesAsync(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryParse(line.Text, out var record, out var problem))
            {
                count++;
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{record.Time:yyyy-MM-ddTHH:mm:ss.fffZ}  {record.MessageId}  phase={record.Phase}  handler={record.Handler ?? "-"}  {record.ErrorType}: {record.Error}").AsMemory(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{line.Source}:{line.Number}: unreadable record ({problem})").AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }

        return count;
    }

    /// <summary>
    /// Re-emits every dead letter into the pipeline through <paramref name="sink"/>, and removes the
    /// ones accepted, so a second replay does not send them again. Records the sink refuses, and
    /// unreadable lines, stay in the file. A crash during a replay leaves the unfinished file behind;
    /// the next replay re-sends all of it (at least once: storage is idempotent on the message id).
    /// </summary>
    /// <param name="sink">Where to emit (the router's first phase).</param>
    /// <param name="cancellationToken">Stops the replay; the records not yet sent stay in the file.</param>
    /// <returns>How many were replayed and how many remain.</returns>
    public async Task<DeadLetterReplayResult> ReplayAsync(IEventSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await CloseStreamAsync().ConfigureAwait(false);
            if (File.Exists(FilePath))
            {
                if (File.Exists(ReplayingPath))
                {
                    // Left by an interrupted replay: add the newer records to it and send both.
                    var newer = await File.ReadAllBytesAsync(FilePath, cancellationToken).ConfigureAwait(false);
                    await File.AppendAllBytesAsync(ReplayingPath, newer, cancellationToken).ConfigureAwait(false);
                    File.Delete(FilePath);
                }
                else
                {
                    File.Move(FilePath, ReplayingPath);
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        if (!File.Exists(ReplayingPath))
        {
            return default;
        }

        var lines = await File.ReadAllLinesAsync(ReplayingPath, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        var kept = new List<string>();
        var replayed = 0;
        var stopped = false;
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (stopped || !TryParse(line, out var record, out _))
            {
                kept.Add(line);
                continue;
            }

            try
            {
                await sink.EmitAsync(record.Event, cancellationToken).ConfigureAwait(false);
                replayed++;
            }
            catch (Exception ex) when (ex is PipelineUnavailableException or OperationCanceledException)
            {
                // The pipeline is full or stopping: keep this one and the rest for the next replay.
                kept.Add(line);
                stopped = true;
            }
        }

        // Not cancellable: the kept records must get back into the file whatever happens.
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (kept.Count > 0)
            {
                await CloseStreamAsync().ConfigureAwait(false);
                var bytes = Encoding.UTF8.GetBytes(string.Join('\n', kept) + "\n");
                await using var stream = OpenForAppend(FilePath);
                await stream.WriteAsync(bytes, CancellationToken.None).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Delete(ReplayingPath);
        }
        finally
        {
            _gate.Release();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new DeadLetterReplayResult(replayed, kept.Count);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _disposed = true;
            await CloseStreamAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static FileStream OpenForAppend(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous);
    }

    private static void Write(IBufferWriter<byte> buffer, DeadLetterRecord record)
    {
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteString("message_id", record.MessageId);
        writer.WriteString("time", record.Time);
        writer.WriteString("phase", record.Phase);
        if (record.Handler is null)
        {
            writer.WriteNull("handler");
        }
        else
        {
            writer.WriteString("handler", record.Handler);
        }

        writer.WriteStartObject("error");
        writer.WriteString("type", record.ErrorType);
        writer.WriteString("message", record.Error);
        writer.WriteEndObject();
        writer.WritePropertyName("event");
        EventJsonCodec.WriteEvent(writer, record.Event);
        writer.WritePropertyName("history");
        EventJsonCodec.WriteHistory(writer, record.History);
        writer.WriteEndObject();
    }

    private static bool TryParse(string line, out DeadLetterRecord record, out string problem)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var error = root.GetProperty("error");
            var handler = root.GetProperty("handler");
            record = new DeadLetterRecord(
                root.GetProperty("message_id").GetString() ?? throw new JsonException("message_id is null"),
                EventJsonCodec.ReadEvent(root.GetProperty("event")),
                EventJsonCodec.ReadHistory(root.GetProperty("history")),
                error.GetProperty("type").GetString() ?? string.Empty,
                error.GetProperty("message").GetString() ?? string.Empty,
                handler.ValueKind == JsonValueKind.Null ? null : handler.GetString(),
                root.GetProperty("phase").GetString() ?? string.Empty,
                root.GetProperty("time").GetDateTimeOffset());
            problem = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            record = null!;
            problem = ex.Message;
            return false;
        }
    }

    private async Task<List<(string Source, int Number, string Text)>> ReadLinesAsync(CancellationToken cancellationToken)
    {
        var lines = new List<(string, int, string)>();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The append stream is closed so the file can be read on every platform; it reopens on the next append.
            await CloseStreamAsync().ConfigureAwait(false);
            foreach (var path in new[] { ReplayingPath, FilePath })
            {
                if (!File.Exists(path))
                {
                    continue;
                }

                var number = 0;
                foreach (var text in await File.ReadAllLinesAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false))
                {
                    number++;
                    if (!string.IsNullOrWhiteSpace(text))
                    {
                        lines.Add((Path.GetFileName(path), number, text));
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return lines;
    }

    private async ValueTask CloseStreamAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
            _stream = null;
        }
    }
}
