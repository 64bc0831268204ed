using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Core.Serialization;

/// <summary>
/// Writes and reads an <see cref="Event"/> and a message history as JSON. Traits keep their type,
/// timestamps round-trip to the tick, and <see cref="Event.Raw"/> comes back byte for byte: it is
/// embedded as JSON when it is one compact single-line JSON value, and as base64 otherwise.
/// Hand-written on Utf8JsonWriter/JsonDocument rather than a serializer contract because
/// <see cref="Trait"/> is a tagged union with private state and <see cref="Event.Raw"/> needs the exact bytes.
/// </summary>
internal static class EventJsonCodec
{
    /// <summary>Writes an event as one JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="event">The event.</param>
    public static void WriteEvent(Utf8JsonWriter writer, Event @event)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(@event);
        writer.WriteStartObject();
        writer.WriteString("message_id", @event.MessageId);
        writer.WriteString("event_type", @event.EventType);
        writer.WriteString("generated", @event.Generated);
        writer.WritePropertyName("traits");
        WriteTraits(writer, @event.Traits);
        writer.WriteStartArray("details");
        foreach (var detail in @event.Details)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", detail.Kind);
            writer.WritePropertyName("traits");
            WriteTraits(writer, detail.Traits);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (!@event.Raw.IsEmpty)
        {
            if (IsEmbeddableJson(@event.Raw.Span))
            {
                writer.WritePropertyName("raw");
                writer.WriteRawValue(@event.Raw.Span, skipInputValidation: true);
            }
            else
            {
                writer.WriteBase64String("raw_base64", @event.Raw.Span);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads an event written by <see cref="WriteEvent"/>.</summary>
    /// <param name="element">The JSON object.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The JSON is not an event.</exception>
    public static Event ReadEvent(JsonElement element)
    {
        RequireKind(element, JsonValueKind.Object, "event");
        ReadOnlyMemory<byte> raw = default;
        if (element.TryGetProperty("raw", out var embedded))
        {
            raw = Encoding.UTF8.GetBytes(embedded.GetRawText());
        }
        else if (element.TryGetProperty("raw_base64", out var base64))
        {
            raw = base64.GetBytesFromBase64();
        }

        var details = new List<EventDetail>();
        if (element.TryGetProperty("details", out var detailArray))
        {
            RequireKind(detailArray, JsonValueKind.Array, "details");
            foreach (var detail in detailArray.EnumerateArray())
            {
                details.Add(new EventDetail(RequireString(detail, "kind"), ReadTraits(Require(detail, "traits"))));
            }
        }

        return new Event
        {
            MessageId = RequireString(element, "message_id"),
            EventType = RequireString(element, "event_type"),
            Generated = Require(element, "generated").GetDateTimeOffset(),
            Traits = element.TryGetProperty("traits", out var traits) ? ReadTraits(traits) : [],
            Details = details,
            Raw = raw,
        };
    }

    /// <summary>Writes a history as a JSON array.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="history">The entries, oldest first.</param>
    public static void WriteHistory(Utf8JsonWriter writer, IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(history);
        writer.WriteStartArray();
        foreach (var entry in history)
        {
            writer.WriteStartObject();
            writer.WriteString("phase", entry.Phase);
            writer.WriteString("plugin", entry.Plugin);
            writer.WriteString("outcome", OutcomeName(entry.Outcome));
            writer.WriteString("time", entry.Time);
            if (entry.Detail is not null)
            {
                writer.WriteString("detail", entry.Detail);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads a history written by <see cref="WriteHistory"/>.</summary>
    /// <param name="element">The JSON array.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="JsonException">The JSON is not a history.</exception>
    public static IReadOnlyList<HistoryEntry> ReadHistory(JsonElement element)
    {
        RequireKind(element, JsonValueKind.Array, "history");
        var entries = new List<HistoryEntry>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            var outcomeText = RequireString(item, "outcome");
            if (!Enum.TryParse<HistoryOutcome>(outcomeText.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var outcome)
                || !Enum.IsDefined(outcome))
            {
                throw new JsonException($"unknown history outcome '{outcomeText}'");
            }

            entries.Add(new HistoryEntry(
                RequireString(item, "phase"),
                RequireString(item, "plugin"),
                outcome,
                Require(item, "time").GetDateTimeOffset(),
                item.TryGetProperty("detail", out var detail) ? detail.GetString() : null));
        }

        return entries;
    }

    /// <summary>Serializes an event and its history as one compact JSON object (<c>{"event":…,"history":[…]}</c>).</summary>
    /// <param name="event">The event.</param>
    /// <param name="history">The history.</param>
    /// <returns>UTF-8 JSON on one line.</returns>
    public static byte[] Serialize(Event @event, IReadOnlyList<HistoryEntry> history)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("event");
            WriteEvent(writer, @event);
            writer.WritePropertyName("history");
            WriteHistory(writer, history);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads what <see cref="Serialize"/> wrote.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <returns>The event and its history.</returns>
    /// <exception cref="JsonException">The JSON is not an event with a history.</exception>
    public static (Event Event, IReadOnlyList<HistoryEntry> History) Deserialize(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        RequireKind(root, JsonValueKind.Object, "document");
        var history = root.TryGetProperty("history", out var h) ? ReadHistory(h) : [];
        return (ReadEvent(Require(root, "event")), history);
    }

    /// <summary>The snake_case name used for enum values in JSON, e.g. <c>dead_lettered</c>.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The name.</returns>
    public static string OutcomeName(HistoryOutcome outcome) => outcome switch
    {
        HistoryOutcome.Emitted => "emitted",
        HistoryOutcome.Handled => "handled",
        HistoryOutcome.Passed => "passed",
        HistoryOutcome.Retried => "retried",
        HistoryOutcome.Failed => "failed",
        HistoryOutcome.DeadLettered => "dead_lettered",
        HistoryOutcome.Done => "done",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    private static void WriteTraits(Utf8JsonWriter writer, IReadOnlyList<Trait> traits)
    {
        writer.WriteStartArray();
        foreach (var trait in traits)
        {
            writer.WriteStartObject();
            writer.WriteString("name", trait.Name);
            switch (trait.Type)
            {
                case TraitType.String:
                    writer.WriteString("type", "string");
                    writer.WriteString("value", trait.StringValue);
                    break;
                case TraitType.Integer:
                    writer.WriteString("type", "integer");
                    writer.WriteNumber("value", trait.IntegerValue);
                    break;
                case TraitType.Float:
                    writer.WriteString("type", "float");
                    var number = trait.FloatValue;
                    if (double.IsFinite(number))
                    {
                        writer.WriteNumber("value", number);
                    }
                    else
                    {
                        // JSON has no NaN or infinity; the text form is read back by the float type.
                        writer.WriteString("value", number.ToString("R", CultureInfo.InvariantCulture));
                    }

                    break;
                case TraitType.DateTime:
                    writer.WriteString("type", "datetime");
                    writer.WriteString("value", trait.DateTimeValue);
                    break;
                default:
                    writer.WriteString("type", "none");
                    writer.WriteNull("value");
                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static List<Trait> ReadTraits(JsonElement array)
    {
        RequireKind(array, JsonValueKind.Array, "traits");
        var traits = new List<Trait>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            var name = RequireString(item, "name");
            var type = RequireString(item, "type");
            item.TryGetProperty("value", out var value);
            traits.Add(type switch
            {
                "string" => Trait.String(name, value.GetString() ?? throw new JsonException($"trait '{name}': a string value is null")),
                "integer" => Trait.Integer(name, value.GetInt64()),
                "float" => Trait.Float(name, value.ValueKind == JsonValueKind.String
                    ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                    : value.GetDouble()),
                "datetime" => Trait.DateTime(name, value.GetDateTimeOffset()),
                "none" => Trait.None(name),
                _ => throw new JsonException($"trait '{name}' has unknown type '{type}'"),
            });
        }

        return traits;
    }

    // Raw is embedded only when the bytes come back identical from JsonElement.GetRawText: one
    // valid JSON value with no surrounding whitespace, and no line break, so a record stays one line.
    private static bool IsEmbeddableJson(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOfAny((byte)'\n', (byte)'\r') >= 0 || IsJsonSpace(raw[0]) || IsJsonSpace(raw[^1]) || !Utf8.IsValid(raw))
        {
            return false;
        }

        var reader = new Utf8JsonReader(raw, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }

        static bool IsJsonSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';
    }

    private static JsonElement Require(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new JsonException($"missing property '{name}'");

    private static string RequireString(JsonElement element, string name)
    {
        var value = Require(element, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new JsonException($"property '{name}' is not a string");
    }

    private static void RequireKind(JsonElement element, JsonValueKind kind, string what)
    {
        if (element.ValueKind != kind)
        {
            throw new JsonException($"{what} is a JSON {element.ValueKind}, expected {kind}");
        }
    }
}
