using System.Net;
using BenchmarkDotNet.Attributes;
using Gordon.Core.Metrics;
using Gordon.Plugins.Prometheus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gordon.Benchmarks.Prometheus;

/// <summary>
/// One <c>/metrics</c> scrape with 10,000 groups × 8 partitions exported (every default on: Karrot's and Burrow's
/// names, daemon and runtime metrics): over HTTP from Kestrel on loopback with the headers Prometheus sends
/// (OpenMetrics, <c>Accept-Encoding: gzip</c>; the client decompresses, as Prometheus does), against the same scrape
/// without <c>Accept-Encoding</c> (the uncompressed path, the baseline); the serialisation alone; and the same lag
/// series held in prometheus-net gauges on a bare registry and serialised by prometheus-net (what the plugin would
/// cost had it kept its lag series in prometheus-net).
/// </summary>
[MemoryDiagnoser]
public class PrometheusScrapeBenchmark
{
    public const int Groups = 10_000;
    public const int Partitions = 8;

    private const string PrometheusAccept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private MetricRelay? _relay;
    private PrometheusPlugin? _plugin;
    private NaiveLagExporter? _naive;
    private WebApplication? _app;
    private HttpClient? _client;
    private HttpClient? _identityClient;

    /// <summary>Bytes of the last HTTP scrape (decompressed), to report the exposition's size.</summary>
    public long LastScrapeBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _relay = new MetricRelay(TimeProvider.System);
        _plugin = PrometheusPluginFactory.Create(_relay);
        _plugin.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _naive = new NaiveLagExporter();
        for (var g = 0; g < Groups; g++)
        {
            var @event = LagEvents.Group(g, Partitions, g * 13);
            _plugin.HandleAsync(LagEvents.Message(@event), CancellationToken.None).GetAwaiter().GetResult();
            _naive.Apply(@event);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _plugin.MapEndpoints(_app);
        _app.StartAsync().GetAwaiter().GetResult();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Prometheus's scrape headers (scrape/scrape.go): OpenMetrics preferred, gzip accepted.
        _client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.GZip }) { BaseAddress = new Uri(address) };
        _client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", PrometheusAccept);
        _client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Encoding", "gzip");
        _identityClient = new HttpClient { BaseAddress = new Uri(address) };
        _identityClient.DefaultRequestHeaders.TryAddWithoutValidation("Accept", PrometheusAccept);
        ScrapeHttp().GetAwaiter().GetResult();
        ScrapeHttpIdentity().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _identityClient?.Dispose();
        _app?.StopAsync().GetAwaiter().GetResult();
        _app?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _plugin?.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _relay?.Dispose();
    }

    [Benchmark]
    public Task ScrapeHttp() => ScrapeAsync(_client!);

    /// <summary>
    /// The scrape after every group received a report since the previous one (Burrow reports each group every ~30 s,
    /// Prometheus scrapes every 15–60 s): no group's rendered lines can be reused. Marking the 10,000 groups changed
    /// (about a millisecond) is inside the measured time.
    /// </summary>
    /// <returns>A task that completes when the body is read.</returns>
    [Benchmark]
    public Task ScrapeHttpCold()
    {
        MarkEveryGroupChanged();
        return ScrapeAsync(_client!);
    }

    [Benchmark(Baseline = true)]
    public Task ScrapeHttpIdentity() => ScrapeAsync(_identityClient!);

    /// <summary>Bytes on the wire of one scrape with Prometheus's headers (compressed), read without decompressing.</summary>
    /// <returns>The byte count.</returns>
    public async Task<long> WireBytesAsync()
    {
        using var client = new HttpClient { BaseAddress = _client!.BaseAddress };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", PrometheusAccept);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Encoding", "gzip");
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var counting = new CountingStream();
        await body.CopyToAsync(counting);
        return counting.Length;
    }

    [Benchmark]
    public Task Serialize() =>
        _plugin!.Writer.WriteAsync(Stream.Null, global::Prometheus.ExpositionFormat.OpenMetricsText, CancellationToken.None);

    [Benchmark]
    public Task SerializeCold()
    {
        MarkEveryGroupChanged();
        return Serialize();
    }

    [Benchmark]
    public Task BareRegistrySerialize() =>
        _naive!.Registry.CollectAndExportAsTextAsync(Stream.Null, global::Prometheus.ExpositionFormat.OpenMetricsText);

    private void MarkEveryGroupChanged()
    {
        foreach (var group in _plugin!.Store.Snapshot())
        {
            lock (group.Gate)
            {
                group.Version++;
            }
        }
    }

    private async Task ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var counting = new CountingStream();
        await body.CopyToAsync(counting);
        LastScrapeBytes = counting.Length;
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
