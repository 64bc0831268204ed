using Gordon.Abstractions.Plugins;
using Gordon.Core.Plugins;

namespace Gordon.Core.Http;

/// <summary>Asks every plugin that reports its health, so one broken report cannot break <c>/health</c>.</summary>
internal static class PluginHealthReports
{
    public static Dictionary<string, PluginHealth> Collect(IEnumerable<ActivePlugin> plugins)
    {
        var reports = new Dictionary<string, PluginHealth>(StringComparer.Ordinal);
        foreach (var plugin in plugins)
        {
            if (plugin.Instance is not IHealthReporter reporter)
            {
                continue;
            }

            try
            {
                reports[plugin.Name] = reporter.GetHealth();
            }
#pragma warning disable CA1031 // A plugin's bug must show up as its own bad health, not as a 500 of /health.
            catch (Exception e)
#pragma warning restore CA1031
            {
                reports[plugin.Name] = PluginHealth.Unhealthy($"health report failed: {e.GetType().Name}: {e.Message}");
            }
        }

        return reports;
    }
}
