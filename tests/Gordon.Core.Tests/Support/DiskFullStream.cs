namespace Gordon.Core.Tests.Support;

/// <summary>A file that accepts <c>capacity</c> bytes and then fails every write as a full disk does (ENOSPC).</summary>
internal sealed class DiskFullStream(FileStream inner, long capacity) : SegmentFileStream(inner)
{
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Inner.Position + buffer.Length > capacity)
        {
            // Like a real full disk, part of the write may land before the error.
            var room = (int)Math.Max(0, capacity - Inner.Position);
            Inner.Write(buffer[..room]);
            throw new IOException("No space left on device");
        }

        Inner.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }
}
