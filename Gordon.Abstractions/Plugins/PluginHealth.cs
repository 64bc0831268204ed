namespace Gordon.Abstractions.Plugins;

/// <summary>A plugin's health report.</summary>
/// <param name="State">How well the plugin is doing.</param>
/// <param name="Detail">What is wrong, in words an operator can act on; null when healthy.</param>
public readonly record struct PluginHealth(PluginHealthState State, string? Detail = null)
{
    /// <summary>A healthy report without detail.</summary>
    public static PluginHealth Healthy => new(PluginHealthState.Healthy);

    /// <summary>A degraded report.</summary>
    /// <param name="detail">What is wrong.</param>
    public static PluginHealth Degraded(string detail) => new(PluginHealthState.Degraded, detail);

    /// <summary>An unhealthy report.</summary>
    /// <param name="detail">What is wrong.</param>
    public static PluginHealth Unhealthy(string detail) => new(PluginHealthState.Unhealthy, detail);
}
