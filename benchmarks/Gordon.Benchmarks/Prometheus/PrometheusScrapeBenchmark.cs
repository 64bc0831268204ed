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
/// names, daemon and runtime metrics): over HTTP from Kestrel on loopback as Prometheus asks for it (OpenMetrics), and
/// the serialisation alone; against the same lag series held in prometheus-net gauges on a bare registry and serialised
/// by prometheus-net (what the plugin would cost had it kept its lag series in prometheus-net).
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

    /// <summary>Bytes of the last HTTP scrape, to report the exposition's size.</summary>
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
        _client = new HttpClient { BaseAddress = new Uri(address) };
        _client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", PrometheusAccept);
        ScrapeHttp().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _app?.StopAsync().GetAwaiter().GetResult();
        _app?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _plugin?.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _relay?.Dispose();
    }

    [Benchmark]
    public async Task ScrapeHttp()
    {
        using var response = await _client!.GetAsync(new Uri("/metrics", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var counting = new CountingStream();
        await body.CopyToAsync(counting);
        LastScrapeBytes = counting.Length;
    }

    [Benchmark]
    public Task Serialize() =>
        _plugin!.Writer.WriteAsync(Stream.Null, global::Prometheus.ExpositionFormat.OpenMetricsText, CancellationToken.None);

    [Benchmark(Baseline = true)]
    public Task BareRegistrySerialize() =>
        _naive!.Registry.CollectAndExportAsTextAsync(Stream.Null, global::Prometheus.ExpositionFormat.OpenMetricsText);

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
