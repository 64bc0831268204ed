namespace Gordon.Core.Tests.Spool.Support;

/// <summary>A segment file whose first write waits for <see cref="Release"/>, and which counts its writes.</summary>
internal sealed class GatedStream(FileStream inner) : Stream
{
    private readonly ManualResetEventSlim _gate = new();
    private int _writes;

    public int Writes => Volatile.Read(ref _writes);

    public override bool CanRead => false;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public void Release() => _gate.Set();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Interlocked.Increment(ref _writes) == 1)
        {
            _gate.Wait(TimeSpan.FromSeconds(30));
        }

        inner.Write(buffer);
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
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }
}
