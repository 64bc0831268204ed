using System.Globalization;
using System.Text.Json;
using Gordon.Abstractions.Configuration;

namespace Gordon.Core.Configuration;

/// <summary>Hides secret values and writes config as JSON, for <c>/config</c> and <c>gordon validate</c>.</summary>
internal static class ConfigRedactor
{
    /// <summary>
    /// A copy of the table in which the value of every secret key (<see cref="SecretKeys.IsSecret"/>) is replaced by
    /// <see cref="SecretKeys.Redacted"/>: a string or number directly, and every such value inside a secret key's
    /// array or table. An empty string stays empty, so "not set" still shows. Locations are kept.
    /// </summary>
    /// <param name="table">The table.</param>
    /// <returns>The redacted copy.</returns>
    public static ConfigTable Redact(ConfigTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Redact(table, secret: false);
    }

    /// <summary>Writes the table, redacted, as a JSON object; datetimes in ISO 8601.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="table">The table.</param>
    public static void WriteJson(Utf8JsonWriter writer, ConfigTable table)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(table);
        WriteTable(writer, Redact(table));
    }

    /// <summary>The table, redacted, as JSON text.</summary>
    /// <param name="table">The table.</param>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(ConfigTable table, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            WriteJson(writer, table);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static ConfigTable Redact(ConfigTable table, bool secret) =>
        new(table.Path, table.Select(pair => new KeyValuePair<string, ConfigValue>(
            pair.Key, Redact(pair.Value, secret || SecretKeys.IsSecret(pair.Key)))));

    private static ConfigValue Redact(ConfigValue value, bool secret) => value.Value switch
    {
        ConfigTable table => value with { Value = Redact(table, secret) },
        ConfigArray array => value with { Value = new ConfigArray(array.Select(item => Redact(item, secret))) },
        string { Length: 0 } => value,
        bool => value,
        _ when secret => value with { Value = SecretKeys.Redacted },

        // A connection URL (storage, RabbitMQ) may carry its password under a key that is not a secret's name.
        string text => value with { Value = SecretKeys.RedactUrlPassword(text) },
        _ => value,
    };

    private static void WriteTable(Utf8JsonWriter writer, ConfigTable table)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in table)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, value.Value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case ConfigTable table:
                WriteTable(writer, table);
                break;
            case ConfigArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteValue(writer, item.Value);
                }

                writer.WriteEndArray();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case double number:
                // JSON has no NaN or infinity; TOML's spelling keeps the value readable.
                writer.WriteStringValue(double.IsNaN(number) ? "nan" : number > 0 ? "inf" : "-inf");
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case DateTimeOffset time:
                writer.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
