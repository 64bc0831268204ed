namespace Gordon.Abstractions.Plugins;

/// <summary>
/// Implemented by a plugin whose health is more than "running": a store that lost its database, a
/// publisher without credentials. <c>/health</c> shows each report; any <see cref="PluginHealthState.Degraded"/>
/// report makes the daemon's status <c>degraded</c> (still HTTP 200, the daemon keeps working), and any
/// <see cref="PluginHealthState.Unhealthy"/> report answers 503.
/// </summary>
public interface IHealthReporter
{
    /// <summary>The plugin's health now. Called on every <c>/health</c> request: keep it cheap and non-blocking.</summary>
    PluginHealth GetHealth();
}
