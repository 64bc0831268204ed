using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;

namespace Gordon.Core.Spool;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of the spool's current records. Chosen over the IEEE CRC-32 because x86-64
/// (SSE4.2) and ARM64 compute it in hardware, eight bytes per instruction: a table-driven CRC of a 5 KB record
/// took several microseconds on the request path, the hardware one a fraction of one.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78u;
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC of <paramref name="data"/> continued from <paramref name="crc"/>, the CRC of what came before.</summary>
    public static uint Compute(ReadOnlySpan<byte> data, uint crc = 0)
    {
        var c = ~crc;
        if (Sse42.X64.IsSupported)
        {
            for (; data.Length >= sizeof(ulong); data = data[sizeof(ulong)..])
            {
                c = (uint)Sse42.X64.Crc32(c, BinaryPrimitives.ReadUInt64LittleEndian(data));
            }

            foreach (var b in data)
            {
                c = Sse42.Crc32(c, b);
            }

            return ~c;
        }

        if (ArmCrc32.Arm64.IsSupported)
        {
            for (; data.Length >= sizeof(ulong); data = data[sizeof(ulong)..])
            {
                c = ArmCrc32.Arm64.ComputeCrc32C(c, BinaryPrimitives.ReadUInt64LittleEndian(data));
            }

            foreach (var b in data)
            {
                c = ArmCrc32.ComputeCrc32C(c, b);
            }

            return ~c;
        }

        return ~ComputeTable(data, c);
    }

    /// <summary>The portable path, also what the hardware paths are checked against.</summary>
    internal static uint ComputeSoftware(ReadOnlySpan<byte> data, uint crc = 0) => ~ComputeTable(data, ~crc);

    private static uint ComputeTable(ReadOnlySpan<byte> data, uint c)
    {
        foreach (var b in data)
        {
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        }

        return c;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
