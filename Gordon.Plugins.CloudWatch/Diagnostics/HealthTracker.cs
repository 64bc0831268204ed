using Gordon.Abstractions.Plugins;

namespace Gordon.Plugins.CloudWatch.Diagnostics;

/// <summary>
/// What <c>/health</c> says about the plugin, updated by the sender: no credentials or denied access → Unhealthy
/// (an operator must act); <c>degraded_after</c> failed calls in a row → Degraded (data is kept and retried);
/// one success → Healthy. Reads are lock-free: /health calls it on every request.
/// </summary>
internal sealed class HealthTracker(int degradedAfter)
{
    private readonly Lock _lock = new();
    private volatile HealthSnapshot _snapshot = new(PluginHealth.Healthy, 0);

    public PluginHealth Current => _snapshot.Health;

    public int ConsecutiveFailures => _snapshot.Failures;

    public void Succeeded()
    {
        lock (_lock)
        {
            _snapshot = new HealthSnapshot(PluginHealth.Healthy, 0);
        }
    }

    /// <summary>A call failed in a way that retrying may fix.</summary>
    public void Failed(string detail)
    {
        lock (_lock)
        {
            var failures = _snapshot.Failures + 1;
            var health = failures >= degradedAfter
                ? PluginHealth.Degraded($"{failures} CloudWatch calls in a row failed; datums are kept and retried; last: {detail}")
                : PluginHealth.Healthy;
            _snapshot = new HealthSnapshot(health, failures);
        }
    }

    /// <summary>Something an operator must fix (credentials, permissions, an unwritable output).</summary>
    public void Broken(string detail)
    {
        lock (_lock)
        {
            _snapshot = new HealthSnapshot(PluginHealth.Unhealthy(detail), _snapshot.Failures + 1);
        }
    }

    private sealed record HealthSnapshot(PluginHealth Health, int Failures);
}
