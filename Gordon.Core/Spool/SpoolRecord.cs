using System.Buffers.Binary;

namespace Gordon.Core.Spool;

/// <summary>
/// One record of a segment file: <c>length(u32) crc(u32) kind(u8) sequence(u64) payload</c>, little-endian. The CRC
/// covers kind, sequence and payload, so a torn or flipped record is found at recovery: for the current kinds it is
/// the CRC-32C of the payload followed by kind and sequence (so a writer can checksum the payload before it knows the
/// sequence); the records of earlier versions (<see cref="SpoolRecordKind.Message"/>, <see cref="SpoolRecordKind.Ack"/>)
/// carry the CRC-32 of kind, sequence and payload.
/// </summary>
/// <remarks>
/// Segment files are reused, so a file may hold records of its previous use after the current ones. The CRC of a
/// current-kind record is therefore salted with its segment (XOR with <see cref="SaltOf"/> of the segment's first
/// sequence): a leftover record fails the check like a torn one, and is never read as a message of this use. Files
/// written before salting carry salt 0.
/// </remarks>
internal readonly record struct SpoolRecord(SpoolRecordKind Kind, long Sequence, ReadOnlyMemory<byte> Payload)
{
    public const int HeaderSize = 17;

    /// <summary>Records larger than this are corrupt lengths, not messages (the webhook's body limit is far below).</summary>
    public const int MaxPayload = 64 * 1024 * 1024;

    public int Size => HeaderSize + Payload.Length;

    /// <summary>Writes the whole record (header and payload) at the start of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        Payload.Span.CopyTo(destination[HeaderSize..]);
        if (IsLegacy(Kind))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)Payload.Length);
            destination[8] = (byte)Kind;
            BinaryPrimitives.WriteInt64LittleEndian(destination[9..], Sequence);
            BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Crc32.Compute(destination[8..Size]));
        }
        else
        {
            WriteHeader(destination, Kind, Sequence, Payload.Length, Crc32C.Compute(Payload.Span));
        }
    }

    /// <summary>
    /// Writes the header of a current-kind record whose payload (already in place after the header) has the CRC-32C
    /// <paramref name="payloadCrc"/>.
    /// </summary>
    public static void WriteHeader(Span<byte> destination, SpoolRecordKind kind, long sequence, int payloadLength, uint payloadCrc)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)payloadLength);
        destination[8] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(destination[9..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Crc32C.Compute(destination[8..HeaderSize], payloadCrc));
    }

    /// <summary>The salt of the segment whose first sequence is <paramref name="firstSequence"/>; never 0.</summary>
    public static uint SaltOf(long firstSequence)
    {
        var salt = (uint)(((ulong)firstSequence * 0x9E3779B97F4A7C15UL) >> 32);
        return salt == 0 ? 1 : salt;
    }

    /// <summary>Salts the CRCs of the whole current-kind records that fill <paramref name="records"/> for their segment.</summary>
    public static void Salt(Span<byte> records, uint salt)
    {
        for (var offset = 0; offset < records.Length; offset += HeaderSize + (int)BinaryPrimitives.ReadUInt32LittleEndian(records[offset..]))
        {
            var crc = records.Slice(offset + 4, sizeof(uint));
            BinaryPrimitives.WriteUInt32LittleEndian(crc, BinaryPrimitives.ReadUInt32LittleEndian(crc) ^ salt);
        }
    }

    /// <summary>
    /// True when <paramref name="source"/> starts with a zero header (or zeros up to its end): the mark a segment's
    /// writer leaves after its last record.
    /// </summary>
    public static bool IsEnd(ReadOnlySpan<byte> source) =>
        !source[..Math.Min(HeaderSize, source.Length)].ContainsAnyExcept((byte)0);

    /// <summary>Reads the record at the start of <paramref name="source"/>; false when it is incomplete or fails its check.</summary>
    /// <param name="source">The bytes from the record on.</param>
    /// <param name="salt">The salt of the record's segment (0: not salted).</param>
    /// <param name="record">The record read.</param>
    /// <param name="problem">Why there is no record.</param>
    public static bool TryRead(ReadOnlyMemory<byte> source, uint salt, out SpoolRecord record, out string? problem)
    {
        record = default;
        var span = source.Span;
        if (span.Length < HeaderSize)
        {
            problem = $"a header of {span.Length} bytes (torn write)";
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(span);
        if (length > MaxPayload || HeaderSize + length > span.Length)
        {
            problem = length > MaxPayload ? $"an impossible length {length}" : $"a payload of {span.Length - HeaderSize} of {length} bytes (torn write)";
            return false;
        }

        var size = HeaderSize + (int)length;
        var kind = (SpoolRecordKind)span[8];
        var crc = IsLegacy(kind) ? Crc32.Compute(span[8..size]) : Crc32C.Compute(span[8..HeaderSize], Crc32C.Compute(span[HeaderSize..size])) ^ salt;
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(span[4..]))
        {
            problem = "a checksum mismatch";
            return false;
        }

        if (kind is not (SpoolRecordKind.Message or SpoolRecordKind.Ack or SpoolRecordKind.Event or SpoolRecordKind.Acks or SpoolRecordKind.Recipe)
            || (kind == SpoolRecordKind.Acks && length % sizeof(long) != 0))
        {
            problem = $"an unknown record kind {span[8]} or a malformed payload of {length} bytes";
            return false;
        }

        record = new SpoolRecord(kind, BinaryPrimitives.ReadInt64LittleEndian(span[9..]), source[HeaderSize..size]);
        problem = null;
        return true;
    }

    private static bool IsLegacy(SpoolRecordKind kind) => kind is SpoolRecordKind.Message or SpoolRecordKind.Ack;
}
