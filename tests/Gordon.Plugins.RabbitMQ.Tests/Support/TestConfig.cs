using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>Builds a plugin's config table the way the daemon hands it over (inherited keys already merged).</summary>
internal static class TestConfig
{
    public static ConfigSection Section(string path, params (string Key, object Value)[] pairs) =>
        new(new ConfigTable(path, pairs.Select(pair => new KeyValuePair<string, ConfigValue>(pair.Key, Value(pair.Value)))));

    private static ConfigValue Value(object value) => value switch
    {
        int i => new ConfigValue((long)i, new ConfigLocation("test.toml", 1, 1)),
        string[] items => new ConfigValue(new ConfigArray(items.Select(Value)), new ConfigLocation("test.toml", 1, 1)),
        _ => new ConfigValue(value, new ConfigLocation("test.toml", 1, 1)),
    };
}
