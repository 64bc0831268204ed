using System.Globalization;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.RabbitMQ.Consuming;
using Gordon.Plugins.RabbitMQ.Publishing;
using Gordon.Plugins.RabbitMQ.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Benchmarks.RabbitMQ;

/// <summary>
/// The per-message cost of the RabbitMQ hop between two daemons against an in-process channel hop. One operation is
/// one message: <see cref="RabbitMqHop"/> publishes it with <c>rabbitmq.publish</c> (serialised, persistent, awaited
/// until the broker confirms) and receives it with <c>rabbitmq.consume</c> (decoded, emitted, acked when done), on a
/// real broker the benchmark starts on loopback; <see cref="InProcessHop"/> moves the same events through one bounded
/// channel to one reader. <see cref="InFlight"/> is the number of concurrent publishes, as publish-phase workers.
/// </summary>
[MemoryDiagnoser]
public class RabbitMqHopBenchmark
{
    /// <summary>Messages per invocation; results are per message (OperationsPerInvoke).</summary>
    public const int Messages = 2000;

    private Event[] _events = [];
    private RabbitMqBroker? _broker;
    private RabbitMqPublishPlugin? _publisher;
    private RabbitMqConsumePlugin? _consumer;
    private CountingSink? _sink;
    private CancellationTokenSource? _stop;
    private Task _consuming = Task.CompletedTask;

    /// <summary>Publishes awaiting their confirm at the same time.</summary>
    [Params(1, 32)]
    public int InFlight { get; set; }

    [GlobalSetup(Target = nameof(RabbitMqHop))]
    public void SetupBroker() => SetupBrokerAsync().GetAwaiter().GetResult();

    [GlobalSetup(Target = nameof(InProcessHop))]
    public void SetupInProcess() => _events = MakeEvents();

    [GlobalCleanup(Target = nameof(RabbitMqHop))]
    public void CleanupBroker() => CleanupBrokerAsync().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task RabbitMqHop()
    {
        var sink = _sink!;
        var publisher = _publisher!;
        sink.Reset(Messages);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Messages)
            {
                await publisher.HandleAsync(new BenchMessage(_events[i]), CancellationToken.None);
            }
        })));
        await sink.Done;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task InProcessHop()
    {
        var channel = Channel.CreateBounded<Event>(new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = InFlight == 1 });
        var observer = new CountingSink();
        observer.Reset(Messages);
        var reader = Task.Run(async () =>
        {
            await foreach (var @event in channel.Reader.ReadAllAsync())
            {
                await observer.EmitAsync(@event, null);
            }
        });
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Messages)
            {
                await channel.Writer.WriteAsync(_events[i]);
            }
        })));
        channel.Writer.Complete();
        await observer.Done;
        await reader;
    }

    /// <summary>Runs the benchmark and returns the final line, or null when a case failed.</summary>
    /// <param name="config">The shared short configuration.</param>
    /// <returns>e.g. <c>rabbitmq: 120.5 us/msg, baseline 0.21 us/msg, ratio 574</c>.</returns>
    public static string? Run(IConfig config)
    {
        var summary = BenchmarkRunner.Run<RabbitMqHopBenchmark>(config);
        return Line(summary);
    }

    // The cost with 32 publishes in flight (a publish phase with that concurrency), over the channel hop in the same run;
    // the sequential figure (one publish at a time: confirm latency) is printed before it.
    private static string? Line(Summary summary)
    {
        var results = summary.Reports
            .Where(r => r.ResultStatistics is not null)
            .Select(r => (
                Method: r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                InFlight: Convert.ToInt32(r.BenchmarkCase.Parameters["InFlight"], CultureInfo.InvariantCulture),
                Microseconds: r.ResultStatistics!.Mean / 1000))
            .ToList();
        string? last = null;
        foreach (var inFlight in new[] { 1, 32 })
        {
            var hop = results.FirstOrDefault(r => r.Method == nameof(RabbitMqHop) && r.InFlight == inFlight);
            var baseline = results.FirstOrDefault(r => r.Method == nameof(InProcessHop) && r.InFlight == inFlight);
            if (hop.Method is null || baseline.Method is null)
            {
                return null;
            }

            last = string.Create(
                CultureInfo.InvariantCulture,
                $"rabbitmq: {hop.Microseconds:F1} us/msg, baseline {baseline.Microseconds:F3} us/msg, ratio {hop.Microseconds / baseline.Microseconds:F0}");
            if (inFlight == 1)
            {
                Console.WriteLine($"(one publish in flight) {last}");
            }
        }

        return last;
    }

    private static Event[] MakeEvents() =>
        [.. Enumerable.Range(0, Messages).Select(i => new Event
        {
            MessageId = "bench-" + i.ToString(CultureInfo.InvariantCulture),
            EventType = "burrow.consumer_status",
            Generated = DateTimeOffset.UnixEpoch.AddSeconds(i),
            Traits =
            [
                Trait.String("cluster", "prod"),
                Trait.String("group", "orders"),
                Trait.String("status", "OK"),
                Trait.Integer("totallag", i),
                Trait.Integer("partition_count", 12),
            ],
            Raw = "{\"status\":{\"cluster\":\"prod\",\"group\":\"orders\",\"status\":\"OK\",\"totallag\":0}}"u8.ToArray(),
        })];

    private async Task SetupBrokerAsync()
    {
        _events = MakeEvents();
        _broker = await RabbitMqBroker.StartAsync();
        var url = _broker.Url(await _broker.CreateVirtualHostAsync());
        _sink = new CountingSink();
        (string, object)[] shared = [("url", url), ("exchange", "bench"), ("reconnect_backoff_initial", "100ms")];
        _consumer = new RabbitMqConsumePlugin(Context("rabbitmq.consume", [.. shared, ("queue", "bench"), ("prefetch", 200L)], _sink));
        _publisher = new RabbitMqPublishPlugin(Context("rabbitmq.publish", shared, _sink));
        _stop = new CancellationTokenSource();
        _consuming = Task.Run(() => _consumer.RunAsync(_stop.Token));
        await _publisher.StartAsync(CancellationToken.None);

        // Warm both connections (and wait for the queue and its binding) with one message through.
        _sink.Reset(1);
        while (true)
        {
            try
            {
                await _publisher.HandleAsync(new BenchMessage(_events[0]), CancellationToken.None);
                break;
            }
            catch (RabbitMqPublishException)
            {
                // Unroutable until the consumer has declared and bound its queue.
                await Task.Delay(100);
            }
        }

        await _sink.Done;
    }

    private async Task CleanupBrokerAsync()
    {
        await _stop!.CancelAsync();
        await _consuming;
        await _consumer!.StopAsync(CancellationToken.None);
        await _publisher!.StopAsync(CancellationToken.None);
        await _broker!.DisposeAsync();
        _stop.Dispose();
    }

    private static PluginContext Context(string name, (string Key, object Value)[] settings, IEventSink sink) => new()
    {
        Name = name,
        Config = new ConfigSection(new ConfigTable(
            name,
            settings.Select(s => new KeyValuePair<string, ConfigValue>(s.Key, new ConfigValue(s.Value, null))))),
        Sink = sink,
        Metrics = NoMetrics.Instance,
        Logger = NullLogger.Instance,
        LoggerFactory = NullLoggerFactory.Instance,
        TimeProvider = TimeProvider.System,
        StateDirectory = Path.GetTempPath(),
        ConfigRoot = Path.GetTempPath(),
    };

    /// <summary>The worker daemon's pipeline reduced to nothing: each event is done the moment it arrives.</summary>
    private sealed class CountingSink : IEventSink
    {
        private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _remaining;

        public Task Done => _done.Task;

        public void Reset(int expected)
        {
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _remaining, expected);
        }

        public ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default)
        {
            observer?.OnDelivered(new BenchMessage(@event), DeliveryOutcome.Done);
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class BenchMessage(Event data) : IEventMessage
    {
        public string MsgId => Data.MessageId;

        public Event Data { get; } = data;

        public string Phase => "publish";

        public IReadOnlyList<HistoryEntry> History => [];

        public void AppendToHistory(HistoryEntry entry)
        {
        }
    }

    private sealed class NoMetrics : Gordon.Abstractions.Metrics.IMetricRelay
    {
        public static readonly NoMetrics Instance = new();

        public void Increment(string name, long value, in System.Diagnostics.TagList tags)
        {
        }

        public void Set(string name, double value, in System.Diagnostics.TagList tags)
        {
        }

        public void Record(string name, double value, in System.Diagnostics.TagList tags)
        {
        }

        public Gordon.Abstractions.Metrics.MetricTimer Timer(string name, in System.Diagnostics.TagList tags) => new(this, TimeProvider.System, name, tags);
    }
}
