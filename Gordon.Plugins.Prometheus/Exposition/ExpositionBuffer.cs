using System.Buffers;
using System.Globalization;

namespace Gordon.Plugins.Prometheus.Exposition;

/// <summary>A pooled, growable byte buffer the lag series are written into between flushes to the response.</summary>
internal sealed class ExpositionBuffer : IDisposable
{
    private const int MaxValueLength = 32;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
    private int _length;

    /// <summary>Bytes waiting to be flushed.</summary>
    public int Length => _length;

    /// <summary>Appends bytes.</summary>
    /// <param name="bytes">The bytes.</param>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Appends one sample line: <c>name{labels[extra]} value\n</c>.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="labels">The encoded labels.</param>
    /// <param name="extra">More encoded labels, each starting with a comma; may be empty.</param>
    /// <param name="value">The value.</param>
    public void Line(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> extra, double value)
    {
        var span = Reserve(name.Length + labels.Length + extra.Length + 4 + MaxValueLength);
        var at = 0;
        name.CopyTo(span);
        at += name.Length;
        span[at++] = (byte)'{';
        labels.CopyTo(span[at..]);
        at += labels.Length;
        extra.CopyTo(span[at..]);
        at += extra.Length;
        span[at++] = (byte)'}';
        span[at++] = (byte)' ';
        at += FormatValue(value, span[at..]);
        span[at++] = (byte)'\n';
        _length += at;
    }

    /// <summary>Writes what is buffered to the stream and empties the buffer.</summary>
    /// <param name="stream">The response.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when written.</returns>
    public async ValueTask FlushAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (_length > 0)
        {
            await stream.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken).ConfigureAwait(false);
            _length = 0;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
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
        if (Math.Abs(value) < 1e15 && value == Math.Floor(value))
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
        if (_length + size > _buffer.Length)
        {
            // Only while one group is written under its lock (no flush is possible there): grow instead.
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + size));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return _buffer.AsSpan(_length);
    }
}
