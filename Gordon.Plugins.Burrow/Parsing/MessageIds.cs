using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gordon.Plugins.Burrow.Parsing;

/// <summary>
/// Message ids: 32 lower-case hex digits (128 bits of SHA-256). A webhook's id is a function of the request alone,
/// so a retried identical POST gets the same id and storage keeps it once; a poll's id also covers the poll time.
/// </summary>
internal static class MessageIds
{
    /// <summary>The id's length in characters.</summary>
    public const int Length = 32;

    /// <summary>The id of a webhook request; DELETE (a close) and POST of one body differ.</summary>
    /// <param name="body">The body as received.</param>
    /// <param name="isDelete">The request was a DELETE.</param>
    /// <param name="utf8">Receives the id as <see cref="Length"/> ASCII bytes (for the reply).</param>
    /// <param name="hashes">Reusable hash states; null hashes one-shot (the id is the same).</param>
    /// <returns>The id.</returns>
    public static string ForWebhook(ReadOnlySpan<byte> body, bool isDelete, Span<byte> utf8, HashPool? hashes = null)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        if (hashes is null)
        {
            SHA256.HashData(body, digest);
        }
        else
        {
            var hash = hashes.Rent();
            hash.AppendData(body);
            hash.GetHashAndReset(digest);
            hashes.Return(hash);
        }

        if (isDelete)
        {
            Span<byte> salted = stackalloc byte[SHA256.HashSizeInBytes + 1];
            digest.CopyTo(salted);
            salted[^1] = (byte)'D';
            SHA256.HashData(salted, digest);
        }

        return Format(digest, utf8);
    }

    /// <summary>The id of a polled report: the answer and the time of the poll.</summary>
    /// <param name="body">The answer's body.</param>
    /// <param name="polledAt">When the poll cycle started.</param>
    /// <returns>The id.</returns>
    public static string ForPoll(ReadOnlySpan<byte> body, DateTimeOffset polledAt)
    {
        Span<byte> salted = stackalloc byte[SHA256.HashSizeInBytes + sizeof(long)];
        SHA256.HashData(body, salted);
        BinaryPrimitives.WriteInt64LittleEndian(salted[SHA256.HashSizeInBytes..], polledAt.UtcTicks);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(salted, digest);
        Span<byte> utf8 = stackalloc byte[Length];
        return Format(digest, utf8);
    }

    private static string Format(ReadOnlySpan<byte> digest, Span<byte> utf8)
    {
        Convert.TryToHexStringLower(digest[..(Length / 2)], utf8, out _);
        return Encoding.ASCII.GetString(utf8[..Length]);
    }
}
