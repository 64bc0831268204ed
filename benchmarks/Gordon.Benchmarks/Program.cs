using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gordon.Benchmarks;

/// <summary>
/// <c>--bench=router</c> runs the router benchmark and ends with one line <c>router: N msg/s, baseline M msg/s, ratio r</c>;
/// <c>--bench=webhook</c> runs the wrk webhook benchmark (<c>webhook: N req/s, baseline M req/s, ratio r</c>);
/// <c>--bench=prometheus</c> the Prometheus plugin's scrape and handler benchmarks (see Prometheus/PrometheusBench.cs);
/// <c>--bench=all</c> runs them all; <c>--bench=kestrel-bare</c> serves the webhook benchmark's baseline. Any other
/// arguments go to BenchmarkSwitcher.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var bench = args.FirstOrDefault(a => a.StartsWith("--bench=", StringComparison.Ordinal))?["--bench=".Length..];
        if (bench is null)
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, Config());
            return 0;
        }

        switch (bench)
        {
            case "soak":
                return RunSoak(args);
            case "cloudwatch":
                return CloudWatch.CloudWatchBench.Run(Config());
            case "kestrel-bare":
                return Burrow.KestrelBareServer.Run(args);
            case "webhook":
                return Burrow.WebhookBenchmark.Run();
            case "prometheus" or "prometheus-scrape":
                return Prometheus.PrometheusBench.Run(bench);
            case "spool":
                return Spool.SpoolBenchmark.Run();
            case "spool-append":
                return PrintLine("spool-append", Spool.SpoolAppendBenchmark.Run(Config()));
            case "storage":
                return Storage.StorageBench.Run();
            case "scaleout":
                return ScaleOut.ScaleOutBench.Run(args);
            case "collectors":
                return PrintLine("collectors", Collectors.CollectorsBenchmark.Run(Config()));
            case "router" or "rabbitmq" or "all":
                break;
            default:
                Console.Error.WriteLine($"unknown benchmark '{bench}': this project has 'router', 'rabbitmq', 'webhook', 'kestrel-bare', 'cloudwatch', 'storage', 'prometheus', 'prometheus-scrape', 'collectors', 'spool', 'spool-append', 'soak', 'scaleout' (or 'all' for router, rabbitmq, webhook and prometheus)");
                return 2;
        }

        var failed = false;
        if (bench is "router" or "all")
        {
            var summary = BenchmarkRunner.Run<RouterBenchmark>(Config());
            var line = RouterLine(summary);
            Console.WriteLine(line ?? "router: no result (see the BenchmarkDotNet output above)");
            failed |= line is null;
        }

        if (bench is "rabbitmq" or "all")
        {
            var line = RabbitMQ.RabbitMqHopBenchmark.Run(Config());
            Console.WriteLine(line ?? "rabbitmq: no result (see the BenchmarkDotNet output above)");
            failed |= line is null;
        }

        if (bench is "all")
        {
            failed |= Burrow.WebhookBenchmark.Run() != 0;
            failed |= Prometheus.PrometheusBench.Run("prometheus") != 0;
        }

        return failed ? 1 : 0;
    }

    // --duration=20m --rate=N --daemon=artifacts/gordon --out=artifacts/soak [--plugins=burrow,prometheus,storage]
    // [--store-ttl=0s] (not part of "all": it runs for minutes).
    private static int RunSoak(string[] args)
    {
        string Arg(string name, string fallback) =>
            args.FirstOrDefault(a => a.StartsWith("--" + name + "=", StringComparison.Ordinal))?[(name.Length + 3)..] ?? fallback;
        var duration = Abstractions.Configuration.ConfigParsers.ParseDuration(Arg("duration", "20m"))
            ?? throw new ArgumentException("--duration: expected a duration such as 20m");
        var rate = double.Parse(Arg("rate", "1000"), CultureInfo.InvariantCulture);
        var storeTtl = Abstractions.Configuration.ConfigParsers.ParseDuration(Arg("store-ttl", "0s"))
            ?? throw new ArgumentException("--store-ttl: expected a duration such as 2m");
        var runner = new Soak.SoakRunner(
            Path.GetFullPath(Arg("daemon", "artifacts/gordon")),
            duration,
            rate,
            Path.GetFullPath(Arg("out", "artifacts/soak")),
            Arg("plugins", "burrow,prometheus,storage").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            storeTtl);
        return runner.RunAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    private static int PrintLine(string name, string? line)
    {
        Console.WriteLine(line ?? name + ": no result (see the BenchmarkDotNet output above)");
        return line is null ? 1 : 0;
    }

    // Short and in-process: a full default job takes many minutes on the shared 2-core machine, and
    // the in-process toolchain avoids generating and building a second project under warnings-as-errors.
    private static IConfig Config() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithToolchain(InProcessEmitToolchain.Instance))
        .WithOptions(ConfigOptions.JoinSummary);

    // The router's best worker count against the raw channels with the same worker count.
    private static string? RouterLine(Summary summary)
    {
        var results = summary.Reports
            .Where(r => r.ResultStatistics is not null)
            .Select(r => (
                Method: r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                Workers: Convert.ToInt32(r.BenchmarkCase.Parameters["Workers"], CultureInfo.InvariantCulture),
                PerSecond: 1e9 / r.ResultStatistics!.Mean))
            .ToList();
        var best = results.Where(r => r.Method == nameof(RouterBenchmark.Router)).OrderByDescending(r => r.PerSecond).FirstOrDefault();
        var baseline = results.FirstOrDefault(r => r.Method == nameof(RouterBenchmark.RawChannels) && r.Workers == best.Workers);
        if (best.Method is null || baseline.Method is null)
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"router: {best.PerSecond:F0} msg/s, baseline {baseline.PerSecond:F0} msg/s, ratio {best.PerSecond / baseline.PerSecond:F2}");
    }
}
