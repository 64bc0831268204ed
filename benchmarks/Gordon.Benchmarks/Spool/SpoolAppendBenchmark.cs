using System.Buffers;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Gordon.Abstractions.Events;
using Gordon.Core.Serialization;
using Gordon.Core.Spool;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Benchmarks.Spool;

/// <summary>
/// <c>--bench=spool-append</c>: the spool's per-message work for one webhook report (14 traits, 8 partitions of 10
/// traits, the 3.2 KB Karrot body as raw): the record encoding of earlier versions (the core JSON codec and a
/// table CRC-32, the baseline) against the binary codec and the hardware CRC-32C, the recipe record the webhook's
/// events now get (the body without the traits), and a whole append and ack through
/// a real spool (interval fsync) with 16 appends at a time, as 16 webhook connections make them. Ends with
/// <c>spool-append: N ns/message, baseline M ns/message, ratio r</c> (the whole append against the old encoding alone).
/// </summary>
[MemoryDiagnoser]
public class SpoolAppendBenchmark
{
    private const int Concurrent = 16;
    private static readonly EventRecipe Recipe = new("burrow", "post");

    private Event _event = null!;
    private string _directory = string.Empty;
    private DurableSpool _spool = null!;
    private readonly ValueTask<long>[] _appends = new ValueTask<long>[Concurrent];

    public static string? Run(IConfig config)
    {
        var summary = BenchmarkRunner.Run<SpoolAppendBenchmark>(config);
        double? Mean(string method) => summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics?.Mean;
        var append = Mean(nameof(AppendAndAck16));
        var baseline = Mean(nameof(JsonRecordOfEarlierVersions));
        return append is { } a && baseline is { } b
            ? string.Create(CultureInfo.InvariantCulture, $"spool-append: {a:F0} ns/message, baseline {b:F0} ns/message, ratio {a / b:F2}")
            : null;
    }

    [GlobalSetup]
    public void Setup()
    {
        _event = WebhookLikeEvent();
        _directory = Directory.CreateTempSubdirectory("gordon-bench-spool-").FullName;
        _spool = DurableSpool.Open(SpoolOptions.Default with { Enabled = true, Directory = _directory }, NullLogger.Instance, TimeProvider.System).Spool;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _spool.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public uint JsonRecordOfEarlierVersions() => Crc32.Compute(EventJsonCodec.Serialize(_event, []));

    [Benchmark]
    public uint BinaryRecord()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SpoolEventCodec.MaxSize(_event));
        var crc = Crc32C.Compute(buffer.AsSpan(0, SpoolEventCodec.Write(_event, buffer)));
        ArrayPool<byte>.Shared.Return(buffer);
        return crc;
    }

    /// <summary>What the spool writes for an event its plugin rebuilds at replay (the webhook's): id, time, recipe, body.</summary>
    [Benchmark]
    public uint RecipeRecord()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SpoolEventCodec.MaxRecipeSize(_event, Recipe));
        var crc = Crc32C.Compute(buffer.AsSpan(0, SpoolEventCodec.WriteRecipe(_event, Recipe, buffer)));
        ArrayPool<byte>.Shared.Return(buffer);
        return crc;
    }

    [Benchmark(OperationsPerInvoke = Concurrent)]
    public async Task AppendAndAck16()
    {
        for (var i = 0; i < Concurrent; i++)
        {
            _appends[i] = _spool.AppendAsync(_event, CancellationToken.None);
        }

        for (var i = 0; i < Concurrent; i++)
        {
            _spool.Ack(await _appends[i]);
        }
    }

    private static Event WebhookLikeEvent()
    {
        var raw = File.ReadAllBytes(FindBody());
        var partitions = Enumerable.Range(0, 8).Select(p => new EventDetail("partition",
        [
            Trait.String("topic", "karrot.orders.v2"),
            Trait.Integer("partition", p),
            Trait.String("status", "WARN"),
            Trait.Integer("status_code", 2),
            Trait.Integer("current_lag", 1234 + p),
            Trait.Integer("start_offset", 8_000_000 + p),
            Trait.Integer("end_offset", 8_001_234 + p),
            Trait.Float("complete", 1.0),
            Trait.String("owner", "10.0.12.34"),
            Trait.String("client_id", "karrot-consumer-" + p.ToString(CultureInfo.InvariantCulture)),
        ])).ToList();
        return new Event
        {
            MessageId = "3f6c2a0e9b1d4c7a8e5f0b2d6a9c1e4f7b3d8a0c5e2f9b6d1a4c7e0f3b8d5a2",
            EventType = "burrow.consumer_status",
            Generated = DateTimeOffset.UnixEpoch.AddYears(56),
            Traits =
            [
                Trait.String("cluster", "local"), Trait.String("group", "karrot-consumer"), Trait.String("status", "WARN"),
                Trait.Integer("status_code", 2), Trait.Float("complete", 1.0), Trait.Integer("total_lag", 10_000),
                Trait.Integer("partition_count", 8), Trait.String("max_lag_topic", "karrot.orders.v2"),
                Trait.Integer("max_lag_partition", 7), Trait.Integer("max_lag_current_lag", 1241),
                Trait.String("incident_id", "local/karrot-consumer"), Trait.String("report", "full"), Trait.String("source", "webhook"),
                Trait.Float("lag_rate", 1.5),
            ],
            Details = partitions,
            Raw = raw,
        };
    }

    private static string FindBody()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "benchmarks", "wrk", "burrow-body.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("benchmarks/wrk/burrow-body.json not found above " + AppContext.BaseDirectory);
    }
}
