namespace Gordon.Abstractions.Plugins;

/// <summary>How well a plugin is doing, from best to worst.</summary>
public enum PluginHealthState
{
    /// <summary>Working as configured.</summary>
    Healthy = 0,

    /// <summary>Working in part or catching up (e.g. retrying a lost database); no data is lost yet.</summary>
    Degraded = 1,

    /// <summary>Not doing its job (e.g. no credentials); an operator must act.</summary>
    Unhealthy = 2,
}
