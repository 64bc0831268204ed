using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.IO.Pipelines;

namespace Gordon.Plugins.Prometheus.Exposition;

/// <summary>
/// Writes sample lines straight into a <see cref="PipeWriter"/> (Kestrel's response pipe when serving HTTP) or another
/// buffer writer, a chunk of memory at a time, so a line is formatted once into the bytes that are sent. Writing never
/// waits; the caller flushes between groups, outside their locks.
/// </summary>
internal sealed class ExpositionBuffer
{
    private const int MaxValueLength = 32;
    private readonly IBufferWriter<byte> _writer;
    private readonly int _chunkSize;
    private Memory<byte> _chunk;
    private int _used;
    private long _unflushed;

    /// <summary>Creates the buffer over a pipe or another buffer writer.</summary>
    /// <param name="writer">Where the bytes go.</param>
    /// <param name="chunkSize">The least memory asked of the writer at a time.</param>
    public ExpositionBuffer(IBufferWriter<byte> writer, int chunkSize = 16 * 1024)
    {
        _writer = writer;
        _chunkSize = chunkSize;
    }

    /// <summary>Bytes written since the last flush (for a buffer that is never flushed: since it was created).</summary>
    public long Unflushed => _unflushed + _used;

    /// <summary>Appends bytes.</summary>
    /// <param name="bytes">The bytes.</param>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _used += bytes.Length;
    }

    /// <summary>Appends one sample line: <c>name{labels[extra]} value\n</c>.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="labels">The encoded labels.</param>
    /// <param name="extra">More encoded labels, each starting with a comma; may be empty.</param>
    /// <param name="value">The value.</param>
    public void Line(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> extra, double value)
    {
        var span = Reserve(name.Length + labels.Length + extra.Length + 4 + MaxValueLength);
        name.CopyTo(span);
        var at = name.Length;
        span[at++] = (byte)'{';
        labels.CopyTo(span[at..]);
        at += labels.Length;
        extra.CopyTo(span[at..]);
        at += extra.Length;
        span[at++] = (byte)'}';
        span[at++] = (byte)' ';
        at += FormatValue(value, span[at..]);
        span[at++] = (byte)'\n';
        _used += at;
    }

    /// <summary>Hands what is written to the pipe and flushes it (this is where a slow scraper makes the writer wait).</summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    /// <returns>A task that completes when flushed.</returns>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Commit();
        _unflushed = 0;
        if (_writer is PipeWriter pipe)
        {
            await pipe.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Formats a value as both exposition formats read it: integers without a fraction, others round-trip.</summary>
    /// <param name="value">The value.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <returns>The bytes written.</returns>
    public static int FormatValue(double value, Span<byte> destination)
    {
        if (double.IsNaN(value))
        {
            "NaN"u8.CopyTo(destination);
            return 3;
        }

        if (double.IsInfinity(value))
        {
            (value > 0 ? "+Inf"u8 : "-Inf"u8).CopyTo(destination);
            return 4;
        }

        int written;
        if (value is >= 0 and < 1e15 && value == Math.Floor(value))
        {
            // Lags, offsets and statuses: Utf8Formatter skips the culture lookup of long.TryFormat.
            Utf8Formatter.TryFormat((ulong)value, destination, out written);
        }
        else if (value is > -1e15 and < 0 && value == Math.Floor(value))
        {
            ((long)value).TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
        }
        else
        {
            value.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
        }

        return written;
    }

    private Span<byte> Reserve(int size)
    {
        if (_chunk.Length - _used < size)
        {
            Commit();
            _chunk = _writer.GetMemory(Math.Max(size, _chunkSize));
        }

        return _chunk.Span[_used..];
    }

    /// <summary>Hands what is written to the writer (a pipe still needs <see cref="FlushAsync"/> to send it).</summary>
    public void Commit()
    {
        if (_used > 0)
        {
            _writer.Advance(_used);
            _unflushed += _used;
            _used = 0;
        }

        // Memory handed back by Advance belongs to the pipe again.
        _chunk = default;
    }
}
