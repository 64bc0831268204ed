using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Gordon.Abstractions.Events;
using Gordon.Core.Metrics;
using Gordon.Core.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Benchmarks;

/// <summary>
/// Messages per second through consume → enrich → publish → done with a no-op handler per phase,
/// against the same messages through three raw chained bounded channels with the same worker
/// counts (the floor any channel-based router pays). One operation is one message.
/// </summary>
[MemoryDiagnoser]
public class RouterBenchmark
{
    /// <summary>Messages per invocation; results are per message (OperationsPerInvoke).</summary>
    public const int Messages = 200_000;

    private const int Capacity = 1024;

    private Event[] _events = [];
    private Router? _router;
    private MetricRelay? _metrics;
    private DeadLetterStore? _deadLetters;
    private string _stateDirectory = string.Empty;
    private readonly CountdownObserver _observer = new();
    private RawPipeline? _raw;

    /// <summary>Workers per phase (and per raw hop).</summary>
    [Params(1, 4)]
    public int Workers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _events = [.. Enumerable.Range(0, Messages).Select(i => new Event
        {
            MessageId = "m" + i,
            EventType = "bench.event",
            Generated = DateTimeOffset.UnixEpoch,
            Traits = [Trait.Integer("n", i)],
        })];
        var handlers = new List<HandlerRegistration>
        {
            new("consumer", "consume", new NoOpHandler()),
            new("enricher", "enrich", new NoOpHandler()),
            new("publisher", "publish", new NoOpHandler()),
        };
        var route = new Dictionary<string, string> { ["consume"] = "enrich", ["enrich"] = "publish", ["publish"] = "done" };
        var table = RouteTable.Build(route, handlers, out var errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors));
        }

        var options = RouterOptions.Default with
        {
            Capacity = Capacity,
            Concurrency = new Dictionary<string, int> { ["consume"] = Workers, ["enrich"] = Workers, ["publish"] = Workers },
        };
        _stateDirectory = Path.Combine(Path.GetTempPath(), "gordon-bench-" + Guid.NewGuid().ToString("N"));
        _deadLetters = new DeadLetterStore(_stateDirectory, TimeProvider.System);
        _metrics = new MetricRelay(TimeProvider.System);
        _router = new Router(table, options, _deadLetters, _metrics, NullLoggerFactory.Instance, TimeProvider.System);
        _router.Start();
        _raw = new RawPipeline(Workers, Capacity);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _router!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _deadLetters!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _metrics!.Dispose();
        _raw!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task Router()
    {
        var router = _router!;
        _observer.Reset(Messages);
        foreach (var @event in _events)
        {
            await router.EmitAsync(@event, _observer, CancellationToken.None);
        }

        await _observer.Done;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task RawChannels()
    {
        var raw = _raw!;
        raw.Reset(Messages);
        var writer = raw.Input;
        foreach (var @event in _events)
        {
            if (!writer.TryWrite(@event))
            {
                await writer.WriteAsync(@event);
            }
        }

        await raw.Done;
    }

    /// <summary>Three chained bounded channels with the router's channel settings and the same worker counts.</summary>
    private sealed class RawPipeline : IAsyncDisposable
    {
        private readonly Channel<Event>[] _hops;
        private readonly Task[] _workers;
        private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _remaining;

        public RawPipeline(int workers, int capacity)
        {
            _hops = [.. Enumerable.Range(0, 3).Select(_ => Channel.CreateBounded<Event>(new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = workers == 1,
                SingleWriter = false,
            }))];
            _workers = [.. Enumerable.Range(0, 3).SelectMany(hop => Enumerable.Range(0, workers).Select(_ => Task.Run(() => RunAsync(hop))))];
        }

        public ChannelWriter<Event> Input => _hops[0].Writer;

        public Task Done => _done.Task;

        public void Reset(int expected)
        {
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _remaining, expected);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var hop in _hops)
            {
                hop.Writer.TryComplete();
            }

            await Task.WhenAll(_workers);
        }

        private async Task RunAsync(int hop)
        {
            var reader = _hops[hop].Reader;
            var next = hop + 1 < _hops.Length ? _hops[hop + 1].Writer : null;
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var item))
                {
                    if (next is null)
                    {
                        if (Interlocked.Decrement(ref _remaining) == 0)
                        {
                            _done.TrySetResult();
                        }
                    }
                    else if (!next.TryWrite(item))
                    {
                        await next.WriteAsync(item);
                    }
                }
            }
        }
    }
}
