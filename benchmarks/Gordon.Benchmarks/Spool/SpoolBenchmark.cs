using System.Diagnostics;

namespace Gordon.Benchmarks.Spool;

/// <summary>
/// <c>--bench=spool</c>: runs <c>Spool/spool.sh</c> (wrk against two published daemons, spool on with interval fsync
/// and spool off, alternating), which ends with <c>spool: N req/s, baseline M req/s, ratio r</c>.
/// </summary>
internal static class SpoolBenchmark
{
    public static int Run()
    {
        var script = FindScript();
        if (script is null)
        {
            Console.Error.WriteLine("spool: benchmarks/Gordon.Benchmarks/Spool/spool.sh not found above " + AppContext.BaseDirectory);
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
            var candidate = Path.Combine(dir.FullName, "benchmarks", "Gordon.Benchmarks", "Spool", "spool.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
