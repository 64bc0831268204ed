using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gordon.Benchmarks.Prometheus;

/// <summary>
/// <c>--bench=prometheus</c> runs the scrape and the handler benchmark and ends with
/// <c>prometheus-scrape: X ms/scrape, …</c> then <c>prometheus: X us/event, …</c>; <c>--bench=prometheus-scrape</c>
/// runs the scrape alone.
/// </summary>
internal static class PrometheusBench
{
    /// <summary>The names <c>--bench=</c> takes for this part.</summary>
    public static readonly string[] Names = ["prometheus", "prometheus-scrape"];

    public static int Run(string bench)
    {
        var config = Config();
        var lines = new List<string?>();
        var scrape = BenchmarkRunner.Run<PrometheusScrapeBenchmark>(config);
        lines.Add(Line(scrape, "prometheus-scrape", nameof(PrometheusScrapeBenchmark.ScrapeHttp), nameof(PrometheusScrapeBenchmark.ScrapeHttpIdentity), 1e-6, "ms/scrape"));
        lines.Add(Line(scrape, "prometheus-scrape-cold", nameof(PrometheusScrapeBenchmark.ScrapeHttpCold), nameof(PrometheusScrapeBenchmark.ScrapeHttpIdentity), 1e-6, "ms/scrape"));
        if (bench != "prometheus-scrape")
        {
            var handler = BenchmarkRunner.Run<PrometheusHandlerBenchmark>(config);
            lines.Add(Line(handler, "prometheus", nameof(PrometheusHandlerBenchmark.Handler), nameof(PrometheusHandlerBenchmark.NaivePrometheusNet), 1e-3, "us/event"));
        }

        // BenchmarkDotNet measures wall-clock time, which on the shared 2-core machine includes the time other
        // processes hold the cores; process CPU time per operation is printed too, to read alongside.
        CpuTimes(bench);
        foreach (var line in lines)
        {
            Console.WriteLine(line ?? "prometheus: no result (see the BenchmarkDotNet output above)");
        }

        return lines.All(l => l is not null) ? 0 : 1;
    }

    private static void CpuTimes(string bench)
    {
        var scrape = new PrometheusScrapeBenchmark();
        scrape.Setup();
        try
        {
            var http = Cpu(scrape.ScrapeHttp, 20);
            var cold = Cpu(scrape.ScrapeHttpCold, 20);
            var identity = Cpu(scrape.ScrapeHttpIdentity, 20);
            var serialize = Cpu(scrape.Serialize, 20);
            var bare = Cpu(scrape.BareRegistrySerialize, 20);
            var wire = scrape.WireBytesAsync().GetAwaiter().GetResult();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"prometheus-scrape cpu: http gzip {http * 1e3:0.#} ms/scrape (server and client), every group changed {cold * 1e3:0.#} ms, http identity {identity * 1e3:0.#} ms, serialize {serialize * 1e3:0.#} ms, prometheus-net {bare * 1e3:0.#} ms; {scrape.LastScrapeBytes} bytes, {wire} gzip-compressed"));
        }
        finally
        {
            scrape.Cleanup();
        }

        if (bench == "prometheus-scrape")
        {
            return;
        }

        var handler = new PrometheusHandlerBenchmark();
        handler.Setup();
        try
        {
            var ours = Cpu(() => { handler.Handler(); return Task.CompletedTask; }, 200) / PrometheusHandlerBenchmark.Groups;
            var naive = Cpu(() => { handler.NaivePrometheusNet(); return Task.CompletedTask; }, 50) / PrometheusHandlerBenchmark.Groups;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prometheus cpu: {ours * 1e6:0.###} us/event, baseline {naive * 1e6:0.###} us/event"));
        }
        finally
        {
            handler.Cleanup();
        }
    }

    // Seconds of process CPU per call, after as many warm-up calls (tier-1 code).
    private static double Cpu(Func<Task> operation, int runs)
    {
        for (var i = 0; i < runs; i++)
        {
            operation().GetAwaiter().GetResult();
        }

        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        for (var i = 0; i < runs; i++)
        {
            operation().GetAwaiter().GetResult();
        }

        process.Refresh();
        return (process.TotalProcessorTime - before).TotalSeconds / runs;
    }

    // Short and in-process like the router's job, with more warm-up: a scrape runs once per invocation, and two warm-up
    // iterations leave part of the writer in tier-0 code on the shared machine.
    private static IConfig Config() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(6)
            .WithIterationCount(8)
            .WithToolchain(InProcessEmitToolchain.Instance))
        .WithOptions(ConfigOptions.JoinSummary);

    // Mean nanoseconds per operation, scaled to the unit.
    private static string? Line(Summary summary, string name, string method, string baselineMethod, double scale, string unit)
    {
        double? Mean(string m) => summary.Reports
            .FirstOrDefault(r => r.ResultStatistics is not null && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == m)?.ResultStatistics!.Mean;
        if (Mean(method) is not { } value || Mean(baselineMethod) is not { } baseline)
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: {value * scale:0.###} {unit}, baseline {baseline * scale:0.###} {unit}, ratio {value / baseline:F2}");
    }
}
