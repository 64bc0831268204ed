using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Spool.Support;

/// <summary>A segment file whose first write waits for <see cref="Release"/>, and which counts its writes.</summary>
internal sealed class GatedStream(FileStream inner) : SegmentFileStream(inner)
{
    private readonly ManualResetEventSlim _gate = new();
    private int _writes;

    public int Writes => Volatile.Read(ref _writes);

    public void Release() => _gate.Set();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Interlocked.Increment(ref _writes) == 1)
        {
            _gate.Wait(TimeSpan.FromSeconds(30));
        }

        Inner.Write(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }
}
