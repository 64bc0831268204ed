namespace Gordon.Benchmarks.Soak;

/// <summary>One 10-second window of the soak run.</summary>
internal sealed record SoakSample(
    TimeSpan Elapsed,
    long RssBytes,
    double? GcHeapBytes,
    int Handles,
    int Requests,
    int Failures,
    double P50Milliseconds,
    double P99Milliseconds);
