using BenchmarkDotNet.Attributes;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Core.Metrics;
using Gordon.Plugins.Prometheus;

namespace Gordon.Benchmarks.Prometheus;

/// <summary>
/// One consumer-status event (a full report with 8 partitions) through the plugin's handler, groups already known
/// (the steady state: Burrow reports the same groups every interval), against the naive prometheus-net port that looks
/// every series up by label values. One operation is one event.
/// </summary>
[MemoryDiagnoser]
public class PrometheusHandlerBenchmark
{
    public const int Groups = 1024;
    public const int Partitions = 8;

    private IEventMessage[] _messages = [];
    private Event[] _events = [];
    private MetricRelay? _relay;
    private PrometheusPlugin? _plugin;
    private NaiveLagExporter? _naive;

    [GlobalSetup]
    public void Setup()
    {
        _events = [.. Enumerable.Range(0, Groups).Select(g => LagEvents.Group(g, Partitions, g * 13))];
        _messages = [.. _events.Select(LagEvents.Message)];
        _relay = new MetricRelay(TimeProvider.System);
        _plugin = PrometheusPluginFactory.Create(_relay);
        _plugin.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _naive = new NaiveLagExporter();
        Handler();
        NaivePrometheusNet();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plugin?.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _relay?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Groups)]
    public void Handler()
    {
        var plugin = _plugin!;
        foreach (var message in _messages)
        {
            // The handler completes synchronously; GetResult surfaces a failure as the router would see it.
            plugin.HandleAsync(message, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Groups)]
    public void NaivePrometheusNet()
    {
        var naive = _naive!;
        foreach (var @event in _events)
        {
            naive.Apply(@event);
        }
    }
}
