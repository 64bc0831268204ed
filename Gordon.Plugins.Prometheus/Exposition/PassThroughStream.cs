namespace Gordon.Plugins.Prometheus.Exposition;

/// <summary>
/// Passes writes to another stream until detached, then drops them (a compressor disposed after a failed scrape
/// writes its trailer into nothing instead of into the error answer); optionally drops flushes (a flush of a
/// compressor ends a deflate block and sends a small packet, for nothing: its writes already wait for the socket).
/// </summary>
/// <param name="inner">The stream written to.</param>
/// <param name="forwardFlushes">False to drop flushes.</param>
internal sealed class PassThroughStream(Stream inner, bool forwardFlushes) : Stream
{
    private bool _detached;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Drops every later write and flush.</summary>
    public void Detach() => _detached = true;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!_detached)
        {
            inner.Write(buffer);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _detached ? ValueTask.CompletedTask : inner.WriteAsync(buffer, cancellationToken);

    public override void Flush()
    {
        if (forwardFlushes && !_detached)
        {
            inner.Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        forwardFlushes && !_detached ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
