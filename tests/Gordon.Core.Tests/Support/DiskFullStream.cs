namespace Gordon.Core.Tests.Support;

/// <summary>A file that accepts <c>capacity</c> bytes and then fails every write as a full disk does (ENOSPC).</summary>
internal sealed class DiskFullStream(FileStream inner, long capacity) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (inner.Position + buffer.Length > capacity)
        {
            // Like a real full disk, part of the write may land before the error.
            var room = (int)Math.Max(0, capacity - inner.Position);
            inner.Write(buffer[..room]);
            throw new IOException("No space left on device");
        }

        inner.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value) => inner.SetLength(value);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
