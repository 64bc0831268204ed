using System.Buffers;
using System.Globalization;
using System.Text;
using Gordon.Plugins.CloudWatch.Datums;

namespace Gordon.Plugins.CloudWatch.Api;

/// <summary>
/// Encodes datums as PutMetricData requests in the Query protocol (<c>Action=PutMetricData&amp;Version=2010-08-01</c>,
/// form-encoded, RFC 3986 escaping) and splits them so each request stays within CloudWatch's limits: 1,000 datums and
/// 1 MB of body. Each datum is encoded once, straight into bytes, and copied into the body when it fits.
/// </summary>
internal static class PutMetricDataEncoder
{
    /// <summary>CloudWatch's limit of datums per request.</summary>
    public const int MaxDatumsPerRequest = 1000;

    /// <summary>CloudWatch's limit is 1 MB a request; we stay under 10^6 bytes, whichever way "MB" is read.</summary>
    public const int MaxBodyBytes = 1_000_000;

    /// <summary>Splits datums into requests.</summary>
    /// <param name="namespace">The namespace of every datum.</param>
    /// <param name="datums">The datums, sent in this order.</param>
    /// <param name="tooLarge">Receives any datum that alone exceeds <paramref name="maxBodyBytes"/>.</param>
    /// <param name="maxDatums">Datums per request (a test seam; CloudWatch's limit by default).</param>
    /// <param name="maxBodyBytes">Body bytes per request (a test seam; CloudWatch's limit by default).</param>
    /// <returns>The requests, in order.</returns>
    public static List<PutMetricDataBatch> Split(
        string @namespace,
        IReadOnlyList<MetricDatum> datums,
        List<MetricDatum>? tooLarge = null,
        int maxDatums = MaxDatumsPerRequest,
        int maxBodyBytes = MaxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(datums);
        var batches = new List<PutMetricDataBatch>();
        var header = new ByteBuilder(256);
        header.Ascii("Action=PutMetricData&Version=2010-08-01&Namespace=");
        header.Escaped(@namespace);
        var body = new ByteBuilder(Math.Min(maxBodyBytes, 128 * 1024));
        body.Append(header.Span);
        var segment = new ByteBuilder(512);
        var members = new List<MetricDatum>();
        try
        {
            foreach (var datum in datums)
            {
                AppendMember(segment.Clear(), members.Count + 1, datum);
                if (members.Count == maxDatums || (members.Count > 0 && body.Length + segment.Length > maxBodyBytes))
                {
                    batches.Add(new PutMetricDataBatch(body.ToArray(), members));
                    body.Clear().Append(header.Span);
                    members = [];
                    AppendMember(segment.Clear(), 1, datum);
                }

                if (body.Length + segment.Length > maxBodyBytes)
                {
                    tooLarge?.Add(datum);
                    continue;
                }

                body.Append(segment.Span);
                members.Add(datum);
            }

            if (members.Count > 0)
            {
                batches.Add(new PutMetricDataBatch(body.ToArray(), members));
            }

            return batches;
        }
        finally
        {
            header.Dispose();
            body.Dispose();
            segment.Dispose();
        }
    }

    /// <summary>ISO 8601 in UTC with milliseconds, as the Query protocol takes timestamps.</summary>
    public static string FormatTimestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private static void AppendMember(ByteBuilder sb, int index, MetricDatum datum)
    {
        Prefix(sb, index).Ascii("MetricName=").Escaped(datum.MetricName);
        for (var i = 0; i < datum.Dimensions.Count; i++)
        {
            Prefix(sb, index).Ascii("Dimensions.member.").Int(i + 1).Ascii(".Name=").Escaped(datum.Dimensions[i].Name);
            Prefix(sb, index).Ascii("Dimensions.member.").Int(i + 1).Ascii(".Value=").Escaped(datum.Dimensions[i].Value);
        }

        Span<char> text = stackalloc char[32];
        datum.Timestamp.UtcDateTime.TryFormat(text, out var written, TimestampFormat, CultureInfo.InvariantCulture);
        Prefix(sb, index).Ascii("Timestamp=").Ascii(text[..written]);
        // "R": the shortest text that reads back as the same double; its '+' (as in 1E+20) must be escaped.
        datum.Value.TryFormat(text, out written, "R", CultureInfo.InvariantCulture);
        Prefix(sb, index).Ascii("Value=").Escaped(text[..written]);
        if (datum.Unit is { } unit)
        {
            Prefix(sb, index).Ascii("Unit=").Escaped(unit);
        }

        if (datum.StorageResolution is { } resolution)
        {
            Prefix(sb, index).Ascii("StorageResolution=").Int(resolution);
        }
    }

    private static ByteBuilder Prefix(ByteBuilder sb, int index) => sb.Ascii("&MetricData.member.").Int(index).Ascii(".");

    /// <summary>A growable byte buffer on pooled arrays, writing ASCII and RFC 3986-escaped UTF-8.</summary>
    private sealed class ByteBuilder : IDisposable
    {
        private byte[] _buffer;

        public ByteBuilder(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

        public ByteBuilder Clear()
        {
            Length = 0;
            return this;
        }

        public byte[] ToArray() => Span.ToArray();

        public ByteBuilder Append(ReadOnlySpan<byte> bytes)
        {
            Ensure(bytes.Length);
            bytes.CopyTo(_buffer.AsSpan(Length));
            Length += bytes.Length;
            return this;
        }

        // Only for text known to be plain ASCII (our keys, timestamps).
        public ByteBuilder Ascii(ReadOnlySpan<char> text)
        {
            Ensure(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                _buffer[Length + i] = (byte)text[i];
            }

            Length += text.Length;
            return this;
        }

        public ByteBuilder Int(int value)
        {
            Ensure(11);
            value.TryFormat(_buffer.AsSpan(Length), out var written, default, CultureInfo.InvariantCulture);
            Length += written;
            return this;
        }

        public ByteBuilder Escaped(ReadOnlySpan<char> text)
        {
            // Worst case: every char is 3 UTF-8 bytes (a surrogate pair is 4 bytes for 2 chars), each escaped to 3.
            Ensure(text.Length * 9);
            var output = _buffer.AsSpan(Length);
            var n = 0;
            Span<byte> utf8 = stackalloc byte[4];
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
                {
                    output[n++] = (byte)c;
                    continue;
                }

                int count;
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    count = Encoding.UTF8.GetBytes(text.Slice(i, 2), utf8);
                    i++;
                }
                else
                {
                    count = Encoding.UTF8.GetBytes(text.Slice(i, 1), utf8);
                }

                for (var b = 0; b < count; b++)
                {
                    output[n++] = (byte)'%';
                    output[n++] = Hex[utf8[b] >> 4];
                    output[n++] = Hex[utf8[b] & 0xF];
                }
            }

            Length += n;
            return this;
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

        private void Ensure(int more)
        {
            if (Length + more <= _buffer.Length)
            {
                return;
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + more));
            Span.CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        private static ReadOnlySpan<byte> Hex => "0123456789ABCDEF"u8;
    }
}
