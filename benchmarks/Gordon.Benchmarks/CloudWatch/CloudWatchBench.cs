using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Gordon.Benchmarks.CloudWatch;

/// <summary><c>--bench=cloudwatch</c>: runs <see cref="PutMetricDataBenchmark"/> and prints <c>cloudwatch: N datums/s, baseline M datums/s, ratio r</c>.</summary>
internal static class CloudWatchBench
{
    public static int Run(IConfig config)
    {
        var summary = BenchmarkRunner.Run<PutMetricDataBenchmark>(config);
        double? PerSecond(string method) => summary.Reports
            .Where(r => r.ResultStatistics is not null && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)
            .Select(r => PutMetricDataBenchmark.Datums * 1e9 / r.ResultStatistics!.Mean)
            .Cast<double?>()
            .FirstOrDefault();
        var ours = PerSecond(nameof(PutMetricDataBenchmark.EncodeAndSign));
        var baseline = PerSecond(nameof(PutMetricDataBenchmark.FormUrlEncodedContentAndSign));
        if (ours is null || baseline is null)
        {
            Console.WriteLine("cloudwatch: no result (see the BenchmarkDotNet output above)");
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cloudwatch: {ours:F0} datums/s, baseline {baseline:F0} datums/s, ratio {ours / baseline:F2}"));
        return 0;
    }
}
