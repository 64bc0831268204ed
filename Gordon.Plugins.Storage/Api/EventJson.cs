using System.Globalization;
using System.Text.Json;
using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Storage.Api;

/// <summary>Panko's v2 JSON shapes: events, traits (values always strings, with their type name) and errors.</summary>
internal static class EventJson
{
    public static string TypeName(TraitType type) => type switch
    {
        TraitType.String => "string",
        TraitType.Integer => "integer",
        TraitType.Float => "float",
        TraitType.DateTime => "datetime",
        _ => "none",
    };

    /// <summary>Naive ISO 8601 as Python's isoformat: no offset, microseconds only when not zero.</summary>
    public static string FormatTime(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        return utc.ToString(utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-ddTHH:mm:ss" : "yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture);
    }

    public static string? FormatValue(Trait trait) => trait.Type switch
    {
        TraitType.String => trait.StringValue,
        TraitType.Integer => trait.IntegerValue.ToString(CultureInfo.InvariantCulture),
        TraitType.Float => FormatFloat(trait.FloatValue),
        TraitType.DateTime => FormatTime(trait.DateTimeValue),
        _ => null,
    };

    public static void WriteEvent(Utf8JsonWriter writer, Event @event)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(@event);
        writer.WriteStartObject();
        writer.WriteString("message_id", @event.MessageId);
        writer.WriteString("event_type", @event.EventType);
        writer.WriteString("generated", FormatTime(@event.Generated));
        writer.WriteStartArray("traits");
        foreach (var trait in @event.Traits)
        {
            WriteTrait(writer, trait, withValue: true);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("raw");
        WriteRaw(writer, @event.Raw.Span);
        writer.WriteEndObject();
    }

    public static void WriteTrait(Utf8JsonWriter writer, Trait trait, bool withValue)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("name", trait.Name);
        if (withValue)
        {
            writer.WriteString("value", FormatValue(trait));
        }

        writer.WriteString("type", TypeName(trait.Type));
        writer.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter writer, int status, string message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("error_message");
        writer.WriteString("faultcode", status >= 500 ? "Server" : "Client");
        writer.WriteString("faultstring", message);
        writer.WriteNull("debuginfo");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    // The raw body as JSON when it is JSON (the usual case), {} when empty, else as a string.
    private static void WriteRaw(Utf8JsonWriter writer, ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return;
        }

        var reader = new Utf8JsonReader(raw);
        try
        {
            if (JsonDocument.TryParseValue(ref reader, out var document))
            {
                using (document)
                {
                    if (reader.BytesConsumed == raw.Length || IsWhitespace(raw[(int)reader.BytesConsumed..]))
                    {
                        document.RootElement.WriteTo(writer);
                        return;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: written as text below.
        }

        writer.WriteStringValue(raw);
    }

    private static bool IsWhitespace(ReadOnlySpan<byte> rest)
    {
        foreach (var b in rest)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static string FormatFloat(double value)
    {
        // Python's repr: shortest round trip, and always a fraction or exponent (1.0, not 1).
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }
}
