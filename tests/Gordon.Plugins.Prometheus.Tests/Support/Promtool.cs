using System.Diagnostics;

namespace Gordon.Plugins.Prometheus.Tests.Support;

/// <summary>Runs <c>promtool check metrics</c> (Debian's <c>/usr/bin/promtool</c>) on an exposition.</summary>
internal static class Promtool
{
    /// <summary>Checks the exposition; returns promtool's exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(RequiredBinary.Require(RequiredBinary.Promtool))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("check");
        info.ArgumentList.Add("metrics");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(exposition.AsMemory(), cancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
