using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gordon.Benchmarks;

/// <summary>
/// <c>--bench=router</c> or <c>--bench=all</c> runs the router benchmark and ends with one line
/// <c>router: N msg/s, baseline M msg/s, ratio r</c>; any other arguments go to BenchmarkSwitcher.
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

        if (bench == "collectors")
        {
            return PrintLine("collectors", Collectors.CollectorsBenchmark.Run(Config()));
        }

        if (bench is not ("router" or "all"))
        {
            Console.Error.WriteLine($"unknown benchmark '{bench}': this project has 'router', 'collectors' (or 'all')");
            return 2;
        }

        var summary = BenchmarkRunner.Run<RouterBenchmark>(Config());
        var line = RouterLine(summary);
        Console.WriteLine(line ?? "router: no result (see the BenchmarkDotNet output above)");
        if (bench == "all")
        {
            return Math.Max(line is null ? 1 : 0, PrintLine("collectors", Collectors.CollectorsBenchmark.Run(Config())));
        }

        return line is null ? 1 : 0;
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
