namespace Gordon.Core.Spool;

/// <summary>
/// A segment file that can be written again in a later use: each write leaves a zero record header after itself (in
/// the same system call), so a reader finds the end of the records before whatever the file held in its previous use.
/// </summary>
/// <remarks>
/// Reuse is what makes the spool cheap: a finished segment's pages are still in the page cache, and a write into them
/// costs a fraction of a write into new pages, which the kernel must first allocate and zero (on the benchmark's
/// virtual machine, most of the spool's cost before reuse). A memory mapping was measured too and lost: every fsync
/// write-protects each mapped page again, one TLB shootdown per page.
/// </remarks>
internal sealed class ReusableSegmentStream : Stream
{
    // The end mark after the last record: a zero record header.
    private static readonly ReadOnlyMemory<byte> EndMark = new byte[SpoolRecord.HeaderSize];

    private readonly FileStream _file;
    private readonly ReadOnlyMemory<byte>[] _writeAndMark = new ReadOnlyMemory<byte>[2];
    private long _position;
    private long _length;

    /// <summary>Creates the segment file, or takes over a finished one.</summary>
    /// <param name="path">The segment file.</param>
    /// <param name="reuse">The file exists (a finished segment, renamed): it is written over from its start.</param>
    /// <exception cref="IOException">The file exists (or, to reuse, does not), or it cannot be written.</exception>
    public ReusableSegmentStream(string path, bool reuse = false)
    {
        _file = new FileStream(path, reuse ? FileMode.Open : FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0, FileOptions.None);
        try
        {
            _writeAndMark[1] = EndMark;
            RandomAccess.Write(_file.SafeFileHandle, EndMark.Span, 0);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    /// <summary>The bytes written in this use: the end of the last record, not the size of the file.</summary>
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _writeAndMark[0] = buffer.AsMemory(offset, count);
        RandomAccess.Write(_file.SafeFileHandle, _writeAndMark, _position);
        _writeAndMark[0] = default;
        _position += count;
        _length = Math.Max(_length, _position);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        // The spool writes arrays, in one call with the end mark; this path takes two.
        RandomAccess.Write(_file.SafeFileHandle, buffer, _position);
        RandomAccess.Write(_file.SafeFileHandle, EndMark.Span, _position + buffer.Length);
        _position += buffer.Length;
        _length = Math.Max(_length, _position);
    }

    /// <summary>Nothing to do: every write went straight to the operating system.</summary>
    public override void Flush()
    {
    }

    /// <summary>An fsync: safe beside a write on another thread.</summary>
    public void FlushToDisk() => RandomAccess.FlushToDisk(_file.SafeFileHandle);

    /// <summary>Cuts the records back to <paramref name="value"/> bytes by writing the end mark there.</summary>
    public override void SetLength(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        RandomAccess.Write(_file.SafeFileHandle, EndMark.Span, value);
        _length = value;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        return _position;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
