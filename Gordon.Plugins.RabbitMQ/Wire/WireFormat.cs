using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.RabbitMQ.Wire;

/// <summary>
/// Gordon's wire format between daemons, version 1: one UTF-8 JSON object
/// <c>{"v":1,"event":{…},"history":[…]}</c>, sent with content type <c>application/json</c>.
/// Traits keep their type, timestamps round-trip to the tick, floats (NaN and infinities as strings) to the bit,
/// and <see cref="Event.Raw"/> byte for byte: embedded as JSON when it is one compact single-line JSON value,
/// base64 (<c>raw_base64</c>) otherwise. The field names are those of the daemon's dead-letter records.
/// Hand-written on Utf8JsonWriter/JsonDocument because <see cref="Trait"/> is a tagged union with private state
/// and <see cref="Event.Raw"/> needs its exact bytes; the core's codec is internal to the daemon, which plugins
/// may not reference.
/// </summary>
internal static class WireFormat
{
    /// <summary>The version this daemon writes, and the newest it reads.</summary>
    public const int Version = 1;

    /// <summary>The AMQP content type of a wire message.</summary>
    public const string ContentType = "application/json";

    /// <summary>Serializes an event and its history.</summary>
    /// <param name="event">The event.</param>
    /// <param name="history">The message's history, oldest first.</param>
    /// <returns>The UTF-8 JSON body.</returns>
    public static byte[] Serialize(Event @event, IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(history);
        var buffer = new ArrayBufferWriter<byte>(512 + @event.Raw.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WritePropertyName("event");
            WriteEvent(writer, @event);
            writer.WritePropertyName("history");
            WriteHistory(writer, history);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a body written by <see cref="Serialize"/>.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The event and its history.</returns>
    /// <exception cref="WireFormatException">The body is not a wire message of a version this daemon reads.</exception>
    public static WireMessage Deserialize(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new WireFormatException("the body is empty");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new WireFormatException($"the body is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    private static WireMessage Read(JsonElement root)
    {
        try
        {
            RequireKind(root, JsonValueKind.Object, "the body");
            if (!root.TryGetProperty("v", out var version))
            {
                throw new WireFormatException("no \"v\" field: not a Gordon wire message");
            }

            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v < 1)
            {
                throw new WireFormatException($"\"v\" is {version.GetRawText()}, expected a version number");
            }

            if (v > Version)
            {
                throw new WireFormatException($"wire format version {v} is newer than this daemon reads ({Version}): upgrade it");
            }

            var history = root.TryGetProperty("history", out var h) ? ReadHistory(h) : [];
            return new WireMessage(ReadEvent(Require(root, "event")), history);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException or OverflowException)
        {
            // JsonDocument and JsonElement throw these for malformed JSON and values of the wrong kind or range.
            throw new WireFormatException(ex.Message, ex);
        }
    }

    private static void WriteEvent(Utf8JsonWriter writer, Event @event)
    {
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
                        // JSON has no NaN or infinity; the reader parses this text form back.
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

    private static void WriteHistory(Utf8JsonWriter writer, IReadOnlyList<HistoryEntry> history)
    {
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

    private static Event ReadEvent(JsonElement element)
    {
        RequireKind(element, JsonValueKind.Object, "\"event\"");
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
            RequireKind(detailArray, JsonValueKind.Array, "\"details\"");
            foreach (var detail in detailArray.EnumerateArray())
            {
                RequireKind(detail, JsonValueKind.Object, "a detail");
                details.Add(new EventDetail(RequireString(detail, "kind"), ReadTraits(Require(detail, "traits"))));
            }
        }

        var messageId = RequireString(element, "message_id");
        var eventType = RequireString(element, "event_type");
        if (messageId.Length == 0 || eventType.Length == 0)
        {
            throw new WireFormatException("the event's message_id and event_type must not be empty");
        }

        return new Event
        {
            MessageId = messageId,
            EventType = eventType,
            Generated = RequireDate(element, "generated"),
            Traits = element.TryGetProperty("traits", out var traits) ? ReadTraits(traits) : [],
            Details = details,
            Raw = raw,
        };
    }

    private static List<Trait> ReadTraits(JsonElement array)
    {
        RequireKind(array, JsonValueKind.Array, "\"traits\"");
        var traits = new List<Trait>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            RequireKind(item, JsonValueKind.Object, "a trait");
            var name = RequireString(item, "name");
            var type = RequireString(item, "type");
            item.TryGetProperty("value", out var value);
            traits.Add(type switch
            {
                "string" => Trait.String(name, value.ValueKind == JsonValueKind.String
                    ? value.GetString()!
                    : throw new WireFormatException($"trait '{name}': a string trait needs a string value")),
                "integer" => Trait.Integer(name, value.GetInt64()),
                "float" => Trait.Float(name, value.ValueKind == JsonValueKind.String
                    ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                    : value.GetDouble()),
                "datetime" => Trait.DateTime(name, value.GetDateTimeOffset()),
                "none" => Trait.None(name),
                _ => throw new WireFormatException($"trait '{name}' has unknown type '{type}'"),
            });
        }

        return traits;
    }

    private static List<HistoryEntry> ReadHistory(JsonElement element)
    {
        RequireKind(element, JsonValueKind.Array, "\"history\"");
        var entries = new List<HistoryEntry>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            RequireKind(item, JsonValueKind.Object, "a history entry");
            var outcomeText = RequireString(item, "outcome");
            if (!Enum.TryParse<HistoryOutcome>(outcomeText.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var outcome)
                || !Enum.IsDefined(outcome) || char.IsAsciiDigit(outcomeText[0]))
            {
                throw new WireFormatException($"unknown history outcome '{outcomeText}'");
            }

            entries.Add(new HistoryEntry(
                RequireString(item, "phase"),
                RequireString(item, "plugin"),
                outcome,
                RequireDate(item, "time"),
                item.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString() : null));
        }

        return entries;
    }

    private static string OutcomeName(HistoryOutcome outcome) => outcome switch
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

    // Raw is embedded only when the bytes come back identical from JsonElement.GetRawText: one valid JSON value
    // with no surrounding whitespace, and no line break.
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
        element.TryGetProperty(name, out var value) ? value : throw new WireFormatException($"missing property \"{name}\"");

    private static string RequireString(JsonElement element, string name)
    {
        var value = Require(element, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new WireFormatException($"property \"{name}\" is not a string");
    }

    private static DateTimeOffset RequireDate(JsonElement element, string name)
    {
        var value = Require(element, name);
        return value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var date)
            ? date
            : throw new WireFormatException($"property \"{name}\" is not an ISO 8601 timestamp");
    }

    private static void RequireKind(JsonElement element, JsonValueKind kind, string what)
    {
        if (element.ValueKind != kind)
        {
            throw new WireFormatException($"{what} is a JSON {element.ValueKind.ToString().ToLowerInvariant()}, expected {kind.ToString().ToLowerInvariant()}");
        }
    }
}
