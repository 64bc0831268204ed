using System.Diagnostics;

namespace Gordon.Benchmarks.Burrow;

/// <summary>
/// <c>--bench=webhook</c>: runs <c>benchmarks/wrk/webhook.sh</c> (wrk against the published daemon's <c>POST /burrow</c>,
/// then against <see cref="KestrelBareServer"/>), which ends with <c>webhook: N req/s, baseline M req/s, ratio r</c>.
/// </summary>
internal static class WebhookBenchmark
{
    public static int Run()
    {
        var script = FindScript();
        if (script is null)
        {
            Console.Error.WriteLine("webhook: benchmarks/wrk/webhook.sh not found above " + AppContext.BaseDirectory);
            return 2;
        }

        using var process = Process.Start(new ProcessStartInfo("bash", [script]) { UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "benchmarks", "wrk", "webhook.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
