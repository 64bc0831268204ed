using Gordon.Abstractions.Configuration;
using Gordon.Core.Configuration;

namespace Gordon.Core.Tests.Support;

/// <summary>Builds config tables from TOML text for tests.</summary>
internal static class ConfigToml
{
    public static ConfigTable Parse(string toml, string file = "test.toml") => TomlConfigReader.Read(toml, file);

    /// <summary>A plain-object view (tables → dictionaries, arrays → lists) to compare whole trees.</summary>
    public static object Plain(object value) => value switch
    {
        ConfigTable table => table.ToDictionary(pair => pair.Key, pair => Plain(pair.Value.Value)),
        ConfigArray array => array.Select(item => Plain(item.Value)).ToList(),
        _ => value,
    };
}
