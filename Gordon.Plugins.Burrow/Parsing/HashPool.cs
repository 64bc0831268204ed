using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Gordon.Plugins.Burrow.Parsing;

/// <summary>
/// Reusable SHA-256 states: a one-shot hash sets up and frees a native digest context on every call, which costs a
/// third of hashing a 3 KB report.
/// </summary>
internal sealed class HashPool
{
    private const int MaxPooled = 64;

    private readonly ConcurrentQueue<IncrementalHash> _free = new();

    public IncrementalHash Rent() => _free.TryDequeue(out var hash) ? hash : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void Return(IncrementalHash hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (_free.Count < MaxPooled)
        {
            _free.Enqueue(hash);
        }
        else
        {
            hash.Dispose();
        }
    }
}
