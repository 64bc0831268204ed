namespace Gordon.Core.Hosting;

/// <summary>
/// The exit code a run ends with. A faulted hosted service does not set one (dotnet/runtime#67146),
/// so whoever stops the daemon for a failure records it here first.
/// </summary>
internal sealed class DaemonExit
{
    private int _code;

    public int Code => Volatile.Read(ref _code);

    /// <summary>Records a failure code; the first failure wins.</summary>
    public void Fail(int code) => Interlocked.CompareExchange(ref _code, code, 0);
}
