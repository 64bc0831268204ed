using System.Buffers.Binary;

namespace Gordon.Core.Spool;

/// <summary>
/// One record of a segment file: <c>length(u32) crc32(u32) kind(u8) sequence(u64) payload</c>, little-endian; the
/// CRC covers kind, sequence and payload, so a torn or flipped record is found at recovery.
/// </summary>
internal readonly record struct SpoolRecord(SpoolRecordKind Kind, long Sequence, ReadOnlyMemory<byte> Payload)
{
    public const int HeaderSize = 17;

    /// <summary>Records larger than this are corrupt lengths, not messages (the webhook's body limit is far below).</summary>
    public const int MaxPayload = 64 * 1024 * 1024;

    public int Size => HeaderSize + Payload.Length;

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)Payload.Length);
        destination[8] = (byte)Kind;
        BinaryPrimitives.WriteInt64LittleEndian(destination[9..], Sequence);
        Payload.Span.CopyTo(destination[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Crc32.Compute(destination[8..Size]));
    }

    /// <summary>Reads the record at the start of <paramref name="source"/>; false when it is incomplete or fails its check.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> source, out SpoolRecord record, out string? problem)
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
        if (Crc32.Compute(span[8..size]) != BinaryPrimitives.ReadUInt32LittleEndian(span[4..]))
        {
            problem = "a checksum mismatch";
            return false;
        }

        var kind = (SpoolRecordKind)span[8];
        if (kind is not (SpoolRecordKind.Message or SpoolRecordKind.Ack))
        {
            problem = $"an unknown record kind {span[8]}";
            return false;
        }

        record = new SpoolRecord(kind, BinaryPrimitives.ReadInt64LittleEndian(span[9..]), source[HeaderSize..size]);
        problem = null;
        return true;
    }
}
