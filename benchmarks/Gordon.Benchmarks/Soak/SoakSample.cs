namespace Gordon.Benchmarks.Soak;

/// <summary>One 10-second window of the soak run.</summary>
/// <remarks>
/// Beside memory and latency, each window records what explains them: messages still in the router (a backlog grows
/// memory without a leak), storage's mean batch time and size in the window (a store slowing as it grows), and the
/// bytes of the store and the spool on disk.
/// </remarks>
internal sealed record SoakSample(
    TimeSpan Elapsed,
    long RssBytes,
    double? GcHeapBytes,
    int Handles,
    int Requests,
    int Failures,
    double P50Milliseconds,
    double P99Milliseconds,
    double? InFlight,
    double? StorageBatchMilliseconds,
    double? StorageBatchSize,
    long StoreBytes,
    long SpoolBytes);
