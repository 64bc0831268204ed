using System.Collections;
using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.Collectors.Tests.Support;

/// <summary>Builds config tables from C# values: strings, numbers, booleans, dictionaries (tables) and lists (arrays).</summary>
internal static class TestConfig
{
    public static ConfigSection Section(string path, IDictionary<string, object?>? values = null) => new(Table(path, values ?? new Dictionary<string, object?>()));

    public static ConfigTable Table(string path, IDictionary<string, object?> values) =>
        new(path, values.Where(v => v.Value is not null).Select(v => new KeyValuePair<string, ConfigValue>(v.Key, Value(path.Length == 0 ? v.Key : path + "." + v.Key, v.Value!))));

    private static ConfigValue Value(string path, object value)
    {
        object converted = value switch
        {
            int i => (long)i,
            long or double or bool or string or DateTimeOffset => value,
            IDictionary<string, object?> table => Table(path, table),
            IEnumerable list => new ConfigArray(list.Cast<object>().Select((item, index) => Value($"{path}[{index}]", item))),
            _ => throw new ArgumentException($"no TOML value for {value.GetType().Name}"),
        };
        return new ConfigValue(converted, new ConfigLocation("test.toml", 1, 1));
    }
}
