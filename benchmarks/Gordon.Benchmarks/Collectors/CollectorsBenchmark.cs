using System.Globalization;
using System.IO.Compression;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Insights;
using Gordon.Plugins.Collectors.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Benchmarks.Collectors;

/// <summary>
/// CSV megabytes per second through a whole dry-run gather (a collector writing rows through
/// <see cref="CsvFileSplitter"/>, packing, the tarball with status and manifest), against the floor any packager
/// pays: the same rows written to a file and gzip-compressed at the same level. One operation is one gather.
/// </summary>
[MemoryDiagnoser]
public class CollectorsBenchmark
{
    /// <summary>Rows per gather (about 10 MB of CSV).</summary>
    public const int Rows = 200_000;

    private string[] _lines = [];
    private string _directory = string.Empty;
    private long _bytes;
    private int _run;

    [GlobalSetup]
    public void Setup()
    {
        _lines = [.. Enumerable.Range(0, Rows).Select(i => CsvText.Line(
            CsvText.Time(DateTimeOffset.UnixEpoch.AddHours(i / 20)),
            "burrow.consumer_status." + (i % 20).ToString(CultureInfo.InvariantCulture),
            CsvText.Number(i * 7919L % 100_000)))];
        _bytes = Encoding.UTF8.GetByteCount("hour,event_type,count\n") + _lines.Sum(l => (long)Encoding.UTF8.GetByteCount(l));
        _directory = Directory.CreateTempSubdirectory("gordon-bench-collectors-").FullName;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public async Task<int> Gather()
    {
        var run = Path.Combine(_directory, "gather-" + (++_run).ToString(CultureInfo.InvariantCulture));
        var table = new CollectorDescriptor
        {
            Name = "table",
            Key = "table",
            Version = "1.0",
            Format = CollectorFormat.Csv,
            Collect = async (invocation, cancellationToken) =>
            {
                var splitter = new CsvFileSplitter(Path.Combine(invocation.StagingDirectory, "table.csv"), invocation.MaxDataSize);
                await using (splitter)
                {
                    await splitter.WriteAsync("hour,event_type,count\n", cancellationToken);
                    foreach (var line in _lines)
                    {
                        await splitter.WriteAsync(line, cancellationToken);
                    }

                    return CollectorOutput.Csv(await splitter.CompleteAsync(cancellationToken));
                }
            },
        };
        var config = new CollectorDescriptor
        {
            Name = "config",
            Key = "config",
            Version = "1.0",
            IsConfig = true,
            Collect = (_, _) => Task.FromResult(CollectorOutput.Json(new System.Text.Json.Nodes.JsonObject { ["bench"] = true })),
        };
        var gatherer = new Gatherer(
            new GathererOptions(),
            [config, table],
            new GatherStateStore(Path.Combine(run, "state.json")),
            new GatherLock(Path.Combine(run, "lock")),
            new NoShipping(),
            TimeProvider.System,
            NullLogger.Instance,
            daemon: null);
        var result = await gatherer.GatherAsync(new GatherRequest(CollectionMode.DryRun, Path.Combine(run, "out")), CancellationToken.None);
        Directory.Delete(run, recursive: true);
        return result.Tarballs.Count;
    }

    [Benchmark(Baseline = true)]
    public async Task<long> WriteAndGzip()
    {
        var path = Path.Combine(_directory, "baseline-" + (++_run).ToString(CultureInfo.InvariantCulture) + ".csv");
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            await writer.WriteAsync("hour,event_type,count\n");
            foreach (var line in _lines)
            {
                await writer.WriteAsync(line);
            }
        }

        long size;
        await using (var output = File.Create(path + ".gz"))
        {
            await using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            await using (var input = File.OpenRead(path))
            {
                await input.CopyToAsync(gzip);
            }

            size = output.Length;
        }

        File.Delete(path);
        File.Delete(path + ".gz");
        return size;
    }

    /// <summary>Runs the benchmark and returns its result line.</summary>
    public static string? Run(IConfig config)
    {
        var summary = BenchmarkRunner.Run<CollectorsBenchmark>(config);
        return Line(summary);
    }

    private static string? Line(Summary summary)
    {
        var megabytes = new CollectorsBenchmark();
        megabytes.Setup();
        var mb = megabytes._bytes / 1e6;
        megabytes.Cleanup();
        double? Rate(string method) => summary.Reports
            .Where(r => r.ResultStatistics is not null && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)
            .Select(r => mb / (r.ResultStatistics!.Mean / 1e9))
            .Cast<double?>()
            .FirstOrDefault();
        if (Rate(nameof(Gather)) is not { } gather || Rate(nameof(WriteAndGzip)) is not { } baseline)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"collectors: {gather:F1} MB/s, baseline {baseline:F1} MB/s, ratio {gather / baseline:F2}");
    }

    private sealed class NoShipping : IPackageShipper
    {
        public string? ConfigurationProblem => null;

        public Task<ShipOutcome> ShipAsync(string tarPath, CancellationToken cancellationToken) => Task.FromResult(new ShipOutcome(true, null));
    }
}
