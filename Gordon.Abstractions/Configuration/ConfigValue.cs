namespace Gordon.Abstractions.Configuration;

/// <summary>
/// One config value with where it came from. <see cref="Value"/> is a <see cref="string"/>,
/// <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="DateTimeOffset"/>,
/// <see cref="ConfigTable"/> or <see cref="ConfigArray"/>.
/// </summary>
/// <param name="Value">The value.</param>
/// <param name="Location">Where it was written; null for defaults made in code.</param>
public sealed record ConfigValue(object Value, ConfigLocation? Location)
{
    /// <summary>A short name of the value's TOML type, for error messages.</summary>
    public string TypeName => Describe(Value);

    /// <summary>The TOML type name of a value, for error messages.</summary>
    /// <param name="value">The value.</param>
    /// <returns>e.g. <c>string</c>, <c>integer</c>, <c>table</c>.</returns>
    public static string Describe(object value) => value switch
    {
        string => "string",
        long or int => "integer",
        double => "float",
        bool => "boolean",
        DateTimeOffset or DateTime => "datetime",
        ConfigTable => "table",
        ConfigArray => "array",
        _ => value.GetType().Name,
    };
}
