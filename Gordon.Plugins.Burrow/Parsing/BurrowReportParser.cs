using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;

namespace Gordon.Plugins.Burrow.Parsing;

/// <summary>
/// Reads every body shape Burrow and Karrot setups send (see <see cref="BodyShape"/>) in one forward pass of a
/// <see cref="Utf8JsonReader"/>, tolerating what Burrow really sends (missing <c>client_id</c>/<c>observedAt</c>,
/// null <c>maxlag</c>/<c>start</c>/<c>end</c>/<c>lag</c>, empty <c>ID</c>, zero or odd <c>Start</c>, statuses as
/// names or codes) and rejecting, with the field's path, what cannot be a report.
/// </summary>
/// <remarks>
/// Hand-written rather than a serializer: no reflection, no intermediate DOM, and the one pass both validates
/// the whole body (a malformed tail is a 400 even after the fields were read) and builds the typed partitions.
/// </remarks>
internal static class BurrowReportParser
{
    private const string GroupFieldsHint = "cluster, group, totallag";

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    /// <summary>Parses and validates one body.</summary>
    /// <param name="json">The body; a UTF-8 byte-order mark is skipped.</param>
    /// <param name="isDelete">The request was a DELETE: Burrow's close method, so a report with an incident id closes it.</param>
    /// <param name="defaultCluster">The cluster for bodies that name none (LinkedIn's templates); null leaves it out.</param>
    /// <param name="names">Reuses repeated names; null allocates each.</param>
    /// <returns>The report.</returns>
    /// <exception cref="JsonException">The body is not well-formed JSON, not UTF-8, or a string in it is no text.</exception>
    /// <exception cref="BurrowBodyException">The body is JSON but not a report that can be accepted; the message names the field.</exception>
    public static BurrowReport Parse(ReadOnlySpan<byte> json, bool isDelete, string? defaultCluster, NameCache? names = null)
    {
        try
        {
            return ParseBody(json, isDelete, defaultCluster, names);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader.GetString refuses a lone surrogate escape ("\ud800"): valid JSON syntax, but no text.
            throw new JsonException(e.Message, e);
        }
    }

    private static BurrowReport ParseBody(ReadOnlySpan<byte> json, bool isDelete, string? defaultCluster, NameCache? names)
    {
        json = SkipBom(json);

        // Checked up front (vectorised): a bad byte inside a name would otherwise surface as an InvalidOperationException.
        if (!Utf8.IsValid(json))
        {
            throw new JsonException("the body is not valid UTF-8");
        }

        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read())
        {
            throw new BurrowBodyException("the body is empty");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new BurrowBodyException($"the body must be a JSON object, got {Describe(reader.TokenType)}");
        }

        var state = new State { Names = names };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ReadTopLevelProperty(ref reader, state);
        }

        // Anything after the root object (a second value, garbage) makes the reader throw here.
        if (reader.Read())
        {
            throw new BurrowBodyException("the body holds more than one JSON value");
        }

        return Finish(state, isDelete, defaultCluster);
    }

    private static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> json) =>
        json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? json[3..] : json;

    private static void ReadTopLevelProperty(ref Utf8JsonReader reader, State state)
    {
        if (reader.ValueTextEquals("Event"u8))
        {
            reader.Read();
            ReadEnvelope(ref reader, state);
        }
        else if (reader.ValueTextEquals("status"u8))
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                state.ApiStatus = new GroupStatusFields();
                ReadGroupStatus(ref reader, state.ApiStatus, "status.", state.Names);
            }
            else
            {
                state.Bare ??= new GroupStatusFields();
                ReadStatus(ref reader, state.Bare, new FieldPath(string.Empty, "status"));
                state.Bare.Seen = true;
            }
        }
        else if (reader.ValueTextEquals("events"u8))
        {
            reader.Read();
            ReadNotifierEvents(ref reader, state);
        }
        else if (reader.ValueTextEquals("ids"u8))
        {
            reader.Read();
            ReadCloseIds(ref reader, state);
        }
        else if (reader.ValueTextEquals("error"u8))
        {
            reader.Read();
            state.ApiError = reader.TokenType == JsonTokenType.True;
            reader.Skip();
        }
        else if (reader.ValueTextEquals("message"u8))
        {
            reader.Read();
            state.ApiMessage = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            reader.Skip();
        }
        else if (reader.ValueTextEquals("request"u8))
        {
            reader.Read();
            ReadApiRequest(ref reader, state);
        }
        else
        {
            state.Bare ??= new GroupStatusFields();
            if (!TryReadGroupField(ref reader, state.Bare, string.Empty, state.Names))
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadEnvelope(ref Utf8JsonReader reader, State state)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Mistyped(new FieldPath(string.Empty, "Event"), "an object", reader.TokenType);
        }

        state.HasEnvelope = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Result"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    state.Result = new GroupStatusFields();
                    ReadGroupStatus(ref reader, state.Result, "Event.Result.", state.Names);
                }
            }
            else if (reader.ValueTextEquals("Cluster"u8))
            {
                reader.Read();
                state.EnvelopeCluster = ReadName(ref reader, new FieldPath("Event.", "Cluster"), state.Names);
            }
            else if (reader.ValueTextEquals("Group"u8))
            {
                reader.Read();
                state.EnvelopeGroup = ReadName(ref reader, new FieldPath("Event.", "Group"), state.Names);
            }
            else if (reader.ValueTextEquals("ID"u8))
            {
                reader.Read();
                state.IncidentId = NullIfEmpty(ReadString(ref reader, new FieldPath("Event.", "ID")));
            }
            else if (reader.ValueTextEquals("Start"u8))
            {
                reader.Read();
                state.IncidentStart = ReadGoTime(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadGroupStatus(ref Utf8JsonReader reader, GroupStatusFields fields, string prefix, NameCache? names)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Mistyped(new FieldPath(string.Empty, prefix.TrimEnd('.')), "an object", reader.TokenType);
        }

        fields.Seen = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!TryReadGroupField(ref reader, fields, prefix, names))
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    // On a property name: reads its value when it is a ConsumerGroupStatus key; false (nothing read) otherwise.
    private static bool TryReadGroupField(ref Utf8JsonReader reader, GroupStatusFields fields, string prefix, NameCache? names)
    {
        if (reader.ValueTextEquals("cluster"u8))
        {
            reader.Read();
            fields.Cluster = ReadName(ref reader, new FieldPath(prefix, "cluster"), names);
        }
        else if (reader.ValueTextEquals("group"u8))
        {
            reader.Read();
            fields.Group = ReadName(ref reader, new FieldPath(prefix, "group"), names);
        }
        else if (reader.ValueTextEquals("status"u8))
        {
            reader.Read();
            ReadStatus(ref reader, fields, new FieldPath(prefix, "status"));
        }
        else if (reader.ValueTextEquals("complete"u8))
        {
            reader.Read();
            fields.Complete = ReadDouble(ref reader, new FieldPath(prefix, "complete"));
        }
        else if (reader.ValueTextEquals("partitions"u8))
        {
            reader.Read();
            fields.Partitions = ReadPartitions(ref reader, new FieldPath(prefix, "partitions"), names);
        }
        else if (reader.ValueTextEquals("partition_count"u8))
        {
            reader.Read();
            fields.PartitionCount = ReadCount(ref reader, new FieldPath(prefix, "partition_count"), long.MaxValue);
        }
        else if (reader.ValueTextEquals("maxlag"u8))
        {
            reader.Read();
            ReadMaxLag(ref reader, fields, prefix, names);
        }
        else if (reader.ValueTextEquals("totallag"u8))
        {
            reader.Read();
            fields.TotalLag = ReadCount(ref reader, new FieldPath(prefix, "totallag"), long.MaxValue);
        }
        else
        {
            return false;
        }

        fields.Seen = true;
        return true;
    }

    private static void ReadStatus(ref Utf8JsonReader reader, GroupStatusFields fields, FieldPath path)
    {
        (fields.Status, fields.StatusCode) = ReadStatusValue(ref reader, path);
    }

    private static (string? Name, int Code) ReadStatusValue(ref Utf8JsonReader reader, FieldPath path)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                // Burrow writes upper-case names: match the bytes and reuse the shared name, no string allocated.
                if (!reader.ValueIsEscaped && BurrowStatus.CodeOfUtf8(reader.ValueSpan) is var exact and >= 0)
                {
                    return (BurrowStatus.NameOf(exact), exact);
                }

                var text = reader.GetString()!;
                var code = BurrowStatus.CodeOf(text);
                return code >= 0 ? (BurrowStatus.NameOf(code), code) : (text, BurrowStatus.Unknown);
            case JsonTokenType.Number when reader.TryGetInt64(out var number) && BurrowStatus.IsValidCode(number):
                return (BurrowStatus.NameOf((int)number), (int)number);
            case JsonTokenType.Null:
                return (null, BurrowStatus.Unknown);
            default:
                throw new BurrowBodyException(
                    $"field '{path}' must be a Burrow status (NOTFOUND, OK, WARN, ERR, STOP, STALL, REWIND or a code 0-6), got {DescribeValue(ref reader)}");
        }
    }

    private static void ReadMaxLag(ref Utf8JsonReader reader, GroupStatusFields fields, string prefix, NameCache? names)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Mistyped(new FieldPath(prefix, "maxlag"), "an object or null", reader.TokenType);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("topic"u8))
            {
                reader.Read();
                fields.MaxLagTopic = ReadName(ref reader, new FieldPath(prefix, "maxlag", Sub: "topic"), names);
            }
            else if (reader.ValueTextEquals("partition"u8))
            {
                reader.Read();
                fields.MaxLagPartition = ReadCount(ref reader, new FieldPath(prefix, "maxlag", Sub: "partition"), int.MaxValue);
            }
            else if (reader.ValueTextEquals("current_lag"u8))
            {
                reader.Read();
                fields.MaxLagCurrentLag = ReadCount(ref reader, new FieldPath(prefix, "maxlag", Sub: "current_lag"), long.MaxValue);
            }
            else
            {
                // maxlag's start/end offsets and owner are the partition's, not traits of the group.
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static List<EventDetail>? ReadPartitions(ref Utf8JsonReader reader, FieldPath path, NameCache? names)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Mistyped(path, "an array", reader.TokenType);
        }

        var partitions = new List<EventDetail>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            partitions.Add(ReadPartition(ref reader, path, partitions.Count, names));
        }

        return partitions;
    }

    private static EventDetail ReadPartition(ref Utf8JsonReader reader, FieldPath arrayPath, int index, NameCache? names)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Mistyped(arrayPath.Element(index), "an object", reader.TokenType);
        }

        string? topic = null, owner = null, clientId = null, status = null;
        long? partition = null, currentLag = null, startOffset = null, endOffset = null;
        double? complete = null;
        var statusCode = BurrowStatus.Unknown;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("topic"u8))
            {
                reader.Read();
                topic = ReadName(ref reader, arrayPath.Element(index, "topic"), names);
            }
            else if (reader.ValueTextEquals("partition"u8))
            {
                reader.Read();
                partition = ReadCount(ref reader, arrayPath.Element(index, "partition"), int.MaxValue);
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                (status, statusCode) = ReadStatusValue(ref reader, arrayPath.Element(index, "status"));
            }
            else if (reader.ValueTextEquals("current_lag"u8))
            {
                reader.Read();
                currentLag = ReadCount(ref reader, arrayPath.Element(index, "current_lag"), long.MaxValue);
            }
            else if (reader.ValueTextEquals("start"u8))
            {
                reader.Read();
                startOffset = ReadOffset(ref reader, arrayPath.Element(index, "start"));
            }
            else if (reader.ValueTextEquals("end"u8))
            {
                reader.Read();
                endOffset = ReadOffset(ref reader, arrayPath.Element(index, "end"));
            }
            else if (reader.ValueTextEquals("complete"u8))
            {
                reader.Read();
                complete = ReadDouble(ref reader, arrayPath.Element(index, "complete"));
            }
            else if (reader.ValueTextEquals("owner"u8))
            {
                reader.Read();
                owner = NullIfEmpty(ReadName(ref reader, arrayPath.Element(index, "owner"), names));
            }
            else if (reader.ValueTextEquals("client_id"u8))
            {
                reader.Read();
                clientId = NullIfEmpty(ReadName(ref reader, arrayPath.Element(index, "client_id"), names));
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var buffer = default(TraitBuffer);
        Span<Trait> traits = buffer;
        var n = 0;
        if (topic is not null)
        {
            traits[n++] = Trait.String(PartitionTraits.Topic, topic);
        }

        if (partition is { } p)
        {
            traits[n++] = Trait.Integer(PartitionTraits.Partition, p);
        }

        if (status is not null)
        {
            traits[n++] = Trait.String(PartitionTraits.Status, status);
            if (statusCode >= 0)
            {
                traits[n++] = Trait.Integer(PartitionTraits.StatusCode, statusCode);
            }
        }

        if (currentLag is { } lag)
        {
            traits[n++] = Trait.Integer(PartitionTraits.CurrentLag, lag);
        }

        if (startOffset is { } start)
        {
            traits[n++] = Trait.Integer(PartitionTraits.StartOffset, start);
        }

        if (endOffset is { } end)
        {
            traits[n++] = Trait.Integer(PartitionTraits.EndOffset, end);
        }

        if (complete is { } c)
        {
            traits[n++] = Trait.Float(PartitionTraits.Complete, c);
        }

        if (owner is not null)
        {
            traits[n++] = Trait.String(PartitionTraits.Owner, owner);
        }

        if (clientId is not null)
        {
            traits[n++] = Trait.String(PartitionTraits.ClientId, clientId);
        }

        return new EventDetail(ConsumerStatusEvent.PartitionDetailKind, traits[..n].ToArray());
    }

    // A ConsumerOffset (or null): only its offset becomes a trait; lag, timestamp and observedAt may be null or absent.
    private static long? ReadOffset(ref Utf8JsonReader reader, FieldPath path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Mistyped(path, "an object or null", reader.TokenType);
        }

        long? offset = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("offset"u8))
            {
                reader.Read();
                offset = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.Number when reader.TryGetInt64(out var value) => value,
                    _ => throw new BurrowBodyException(
                        $"field '{path with { Sub = path.Sub + ".offset" }}' must be an integer, got {DescribeValue(ref reader)}"),
                };
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return offset;
    }

    private static void ReadNotifierEvents(ref Utf8JsonReader reader, State state)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Mistyped(new FieldPath(string.Empty, "events"), "an array", reader.TokenType);
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count++ == 0)
            {
                ReadNotifierEvent(ref reader, state);
            }
            else
            {
                reader.Skip();
            }
        }

        state.NotifierEvents = count;
    }

    private static void ReadNotifierEvent(ref Utf8JsonReader reader, State state)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Mistyped(new FieldPath(string.Empty, "events", 0), "an object", reader.TokenType);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                state.IncidentId = NullIfEmpty(ReadString(ref reader, new FieldPath(string.Empty, "events", 0, "id")));
            }
            else if (reader.ValueTextEquals("event"u8))
            {
                reader.Read();
                ReadNotifierEventBody(ref reader, state);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadNotifierEventBody(ref Utf8JsonReader reader, State state)
    {
        const string Prefix = "events[0].event.";
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Mistyped(new FieldPath(string.Empty, "events", 0, "event"), "an object", reader.TokenType);
        }

        var fields = state.Notifier = new GroupStatusFields { Seen = true };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("severity"u8))
            {
                reader.Read();
                ReadStatus(ref reader, fields, new FieldPath(Prefix, "severity"));
            }
            else if (reader.ValueTextEquals("start"u8))
            {
                reader.Read();
                state.IncidentStart = reader.TokenType == JsonTokenType.String ? ParseNotifierTime(reader.GetString()!) : null;
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    throw Mistyped(new FieldPath(Prefix, "start"), "a string", reader.TokenType);
                }
            }
            else if (reader.ValueTextEquals("group"u8) || reader.ValueTextEquals("complete"u8) || reader.ValueTextEquals("partitions"u8))
            {
                TryReadGroupField(ref reader, fields, Prefix, state.Names);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadCloseIds(ref Utf8JsonReader reader, State state)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Mistyped(new FieldPath(string.Empty, "ids"), "an array", reader.TokenType);
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count++ == 0)
            {
                state.CloseId = ReadString(ref reader, new FieldPath(string.Empty, "ids", 0));
            }
            else
            {
                reader.Skip();
            }
        }

        state.CloseIds = count;
    }

    private static void ReadApiRequest(ref Utf8JsonReader reader, State state)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUrl = reader.ValueTextEquals("url"u8);
            reader.Read();
            if (isUrl && reader.TokenType == JsonTokenType.String)
            {
                state.ApiUrl = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static BurrowReport Finish(State state, bool isDelete, string? defaultCluster)
    {
        if (state.HasEnvelope)
        {
            var result = state.Result ?? throw new BurrowBodyException("missing field 'Event.Result' (the consumer group status)");
            result.Cluster = NullIfEmpty(result.Cluster) ?? NullIfEmpty(state.EnvelopeCluster);
            result.Group = NullIfEmpty(result.Group) ?? NullIfEmpty(state.EnvelopeGroup);
            RequireGroupFields(result, "Event.Result.");
            return Report(BodyShape.KarrotEnvelope, result, state, isDelete, IsFull(result, apiUrl: null));
        }

        if (state.NotifierEvents >= 0)
        {
            if (state.NotifierEvents != 1)
            {
                throw new BurrowBodyException(FormattableString.Invariant(
                    $"field 'events' must hold exactly one event (one consumer group per notification), got {state.NotifierEvents}"));
            }

            var fields = state.Notifier ?? throw new BurrowBodyException("missing field 'events[0].event'");
            if (NullIfEmpty(fields.Group) is null)
            {
                throw new BurrowBodyException("missing field 'events[0].event.group' (a non-empty string)");
            }

            fields.Cluster = defaultCluster;
            return Report(BodyShape.NotifierPost, fields, state, isDelete, isFull: false);
        }

        if (state.CloseIds >= 0)
        {
            if (state.CloseIds != 1)
            {
                throw new BurrowBodyException(FormattableString.Invariant(
                    $"field 'ids' must hold exactly one incident id (one consumer group per notification), got {state.CloseIds}"));
            }

            state.IncidentId = NullIfEmpty(state.CloseId) ?? throw new BurrowBodyException("field 'ids[0]' must be a non-empty incident id");

            // Burrow sends the close template only when the group is back to OK (its notifier's close rule).
            var closed = new GroupStatusFields { Cluster = defaultCluster, Status = BurrowStatus.NameOf(BurrowStatus.Ok), StatusCode = BurrowStatus.Ok, Seen = true };
            return Report(BodyShape.NotifierClose, closed, state, isDelete: true, isFull: false);
        }

        if (state.ApiStatus is { } api)
        {
            if (state.ApiError == true)
            {
                throw new BurrowBodyException($"the body is a Burrow API error response: {state.ApiMessage ?? "(no message)"}");
            }

            RequireGroupFields(api, "status.");
            return Report(BodyShape.ApiResponse, api, state, isDelete, IsFull(api, state.ApiUrl));
        }

        if (state.Bare is { Seen: true } bare)
        {
            RequireGroupFields(bare, string.Empty);
            return Report(BodyShape.GroupStatus, bare, state, isDelete, IsFull(bare, apiUrl: null));
        }

        throw new BurrowBodyException(
            "the body is not a Burrow report: expected Karrot's {\"Event\": {...}} envelope, a consumer group status ("
            + GroupFieldsHint + "), a v3 /lag or /status response, or a notifier template body (events or ids)");
    }

    private static BurrowReport Report(BodyShape shape, GroupStatusFields fields, State state, bool isDelete, bool isFull) => new()
    {
        Shape = shape,
        Status = fields,
        IncidentId = state.IncidentId,
        IncidentStart = state.IncidentStart,
        Closes = state.IncidentId is not null && (isDelete || fields.StatusCode == BurrowStatus.Ok),
        IsFull = isFull,
    };

    private static void RequireGroupFields(GroupStatusFields fields, string prefix)
    {
        fields.Cluster = NullIfEmpty(fields.Cluster);
        fields.Group = NullIfEmpty(fields.Group);
        if (fields.Cluster is not null && fields.Group is not null && fields.TotalLag is not null)
        {
            return;
        }

        var missing = new List<string>(3);
        if (fields.Cluster is null)
        {
            missing.Add($"'{prefix}cluster' (a non-empty string)");
        }

        if (fields.Group is null)
        {
            missing.Add($"'{prefix}group' (a non-empty string)");
        }

        if (fields.TotalLag is null)
        {
            missing.Add($"'{prefix}totallag' (a non-negative integer)");
        }

        throw new BurrowBodyException((missing.Count == 1 ? "missing field " : "missing fields ") + string.Join(", ", missing));
    }

    private static bool IsFull(GroupStatusFields fields, string? apiUrl)
    {
        if (apiUrl is not null)
        {
            var path = apiUrl.AsSpan().TrimEnd('/');
            if (path.EndsWith("/lag", StringComparison.Ordinal))
            {
                return true;
            }

            if (path.EndsWith("/status", StringComparison.Ordinal))
            {
                return false;
            }
        }

        // Whatever the source, a report that lists as many partitions as the group has is complete.
        return fields.PartitionCount is { } count && (fields.Partitions?.Count ?? 0) == count;
    }

    private static string? ReadString(ref Utf8JsonReader reader, FieldPath path) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw Mistyped(path, "a string", reader.TokenType),
    };

    private static string? ReadName(ref Utf8JsonReader reader, FieldPath path, NameCache? names) => reader.TokenType switch
    {
        JsonTokenType.String => names is null ? reader.GetString() : names.Get(ref reader),
        JsonTokenType.Null => null,
        _ => throw Mistyped(path, "a string", reader.TokenType),
    };

    private static double? ReadDouble(ref Utf8JsonReader reader, FieldPath path) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.Null => null,
        _ => throw Mistyped(path, "a number", reader.TokenType),
    };

    private static long? ReadCount(ref Utf8JsonReader reader, FieldPath path, long max)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value >= 0 && value <= max)
        {
            return value;
        }

        throw OutOfRange(path, max, ref reader);
    }

    private static BurrowBodyException OutOfRange(FieldPath path, long max, ref Utf8JsonReader reader) =>
        new(FormattableString.Invariant($"field '{path}' must be a non-negative integer of at most {max}, got {DescribeValue(ref reader)}"));

    // Burrow writes Go's RFC 3339 with nanoseconds; the zero time (no incident) and odd strings give no start.
    private static DateTimeOffset? ReadGoTime(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.TryGetDateTimeOffset(out var time) && time.UtcDateTime.Year > 1 ? time : null;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        throw Mistyped(new FieldPath("Event.", "Start"), "a string", reader.TokenType);
    }

    // LinkedIn's template prints Start as "Jan 02, 2006 15:04:05 UTC" (Burrow's local time, labelled UTC).
    private static DateTimeOffset? ParseNotifierTime(string text) =>
        DateTimeOffset.TryParseExact(
            text,
            "MMM dd, yyyy HH:mm:ss 'UTC'",
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces,
            out var time) && time.Year > 1 ? time : null;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static BurrowBodyException Mistyped(FieldPath path, string expected, JsonTokenType got) =>
        new($"field '{path}' must be {expected}, got {Describe(got)}");

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    // The value itself for scalars (cut short), so "got 18446744073709551615" says exactly what was wrong.
    private static string DescribeValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False)
        {
            var text = Encoding.UTF8.GetString(reader.ValueSpan[..Math.Min(reader.ValueSpan.Length, 40)]);
            return reader.TokenType == JsonTokenType.Number ? "the number " + text : text;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString() ?? string.Empty;
            return "the string \"" + (text.Length > 40 ? text[..40] + "…" : text) + "\"";
        }

        return Describe(reader.TokenType);
    }

    private sealed class State
    {
        public bool HasEnvelope { get; set; }

        public GroupStatusFields? Result { get; set; }

        public string? EnvelopeCluster { get; set; }

        public string? EnvelopeGroup { get; set; }

        public string? IncidentId { get; set; }

        public DateTimeOffset? IncidentStart { get; set; }

        public GroupStatusFields? Bare { get; set; }

        public GroupStatusFields? ApiStatus { get; set; }

        public bool? ApiError { get; set; }

        public string? ApiMessage { get; set; }

        public string? ApiUrl { get; set; }

        public int NotifierEvents { get; set; } = -1;

        public GroupStatusFields? Notifier { get; set; }

        public int CloseIds { get; set; } = -1;

        public NameCache? Names { get; init; }

        public string? CloseId { get; set; }
    }
}
