namespace Gordon.Core.Configuration;

/// <summary>Limits of the HTTP server, so one client cannot exhaust memory, connections or time.</summary>
internal sealed record HttpLimits(
    long MaxRequestBodySize,
    long MaxRequestHeadersTotalSize,
    int MaxRequestHeaderCount,
    TimeSpan RequestHeadersTimeout,
    double MinRequestBodyBytesPerSecond,
    TimeSpan MinRequestBodyGracePeriod,
    long MaxConcurrentConnections,
    TimeSpan KeepAliveTimeout)
{
    // Plugins set tighter per-route limits (the Burrow webhook's max_body); this is the server-wide ceiling.
    public static HttpLimits Default { get; } = new(
        MaxRequestBodySize: 16L * 1024 * 1024,
        MaxRequestHeadersTotalSize: 32 * 1024,
        MaxRequestHeaderCount: 100,
        RequestHeadersTimeout: TimeSpan.FromSeconds(10),
        MinRequestBodyBytesPerSecond: 240,
        MinRequestBodyGracePeriod: TimeSpan.FromSeconds(5),
        MaxConcurrentConnections: 1024,
        KeepAliveTimeout: TimeSpan.FromSeconds(130));
}
