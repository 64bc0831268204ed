using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.Prometheus.Tests.Support;

/// <summary>Builds the <c>[prometheus]</c> table a test runs the plugin with.</summary>
internal static class TestConfig
{
    /// <summary>A config reader over the given keys (strings, longs, doubles, bools, as TOML gives them).</summary>
    public static ConfigSection Prometheus(params (string Key, object Value)[] keys) =>
        new(new ConfigTable(
            "prometheus",
            keys.Select(k => KeyValuePair.Create(k.Key, new ConfigValue(k.Value, new ConfigLocation("gordon-user.toml", 1, 1))))));
}
