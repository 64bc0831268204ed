using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Gordon.Abstractions.Events;

namespace Gordon.Core.Spool;

/// <summary>
/// The spool's compact binary form of an <see cref="Event"/>: length-prefixed UTF-8 strings, traits as a type byte and
/// a fixed-size value, timestamps as UTC ticks, the raw body as its bytes. Written straight into the caller's buffer,
/// with no intermediate strings: the JSON codec validated the raw body and wrote 90 trait objects per webhook report,
/// which cost more than the rest of the request. The record's checksum guards it, so reading only defends against
/// impossible lengths, not hostile input.
/// </summary>
internal static class SpoolEventCodec
{
    // String lengths are 7-bit varints: at most 5 bytes for an int.
    private const int MaxVarint = 5;

    /// <summary>An upper bound of the encoded size, to size the buffer before <see cref="Write"/>.</summary>
    public static int MaxSize(Event @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        long size = MaxString(@event.MessageId) + MaxString(@event.EventType) + sizeof(long) + MaxTraits(@event.Traits) + MaxVarint;
        var details = @event.Details;
        for (var i = 0; i < details.Count; i++)
        {
            size += MaxString(details[i].Kind) + MaxTraits(details[i].Traits);
        }

        return Checked(size + MaxVarint + @event.Raw.Length, @event);
    }

    /// <summary>An upper bound of the size <see cref="WriteRecipe"/> writes, to size the buffer.</summary>
    public static int MaxRecipeSize(Event @event, EventRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(recipe);
        return Checked(
            MaxString(@event.MessageId) + MaxString(@event.EventType) + sizeof(long) + MaxString(recipe.Plugin) + MaxString(recipe.Argument) + MaxVarint + @event.Raw.Length,
            @event);
    }

    /// <summary>Writes the event at the start of <paramref name="destination"/> (at least <see cref="MaxSize"/> long); returns the bytes written.</summary>
    public static int Write(Event @event, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var at = 0;
        WriteIdentity(destination, ref at, @event);
        WriteTraits(destination, ref at, @event.Traits);
        var details = @event.Details;
        WriteVarint(destination, ref at, details.Count);
        for (var i = 0; i < details.Count; i++)
        {
            WriteString(destination, ref at, details[i].Kind);
            WriteTraits(destination, ref at, details[i].Traits);
        }

        return WriteRaw(destination, at, @event.Raw);
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    /// <exception cref="FormatException">The bytes are not an event.</exception>
    public static Event Read(ReadOnlySpan<byte> source)
    {
        var at = 0;
        var (messageId, eventType, generated) = ReadIdentity(source, ref at);
        var traits = ReadTraits(source, ref at);
        var detailCount = ReadCount(source, ref at, minBytesEach: 2);
        var details = new EventDetail[detailCount];
        for (var i = 0; i < detailCount; i++)
        {
            details[i] = new EventDetail(ReadString(source, ref at), ReadTraits(source, ref at));
        }

        return new Event { MessageId = messageId, EventType = eventType, Generated = generated, Traits = traits, Details = details, Raw = ReadRaw(source, at) };
    }

    /// <summary>
    /// Writes what the event's producer needs to make it again (id, type, generation time, recipe and raw body, not the
    /// traits) at the start of <paramref name="destination"/> (at least <see cref="MaxRecipeSize"/> long); returns the bytes written.
    /// </summary>
    public static int WriteRecipe(Event @event, EventRecipe recipe, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(recipe);
        var at = 0;
        WriteIdentity(destination, ref at, @event);
        WriteString(destination, ref at, recipe.Plugin);
        WriteString(destination, ref at, recipe.Argument);
        return WriteRaw(destination, at, @event.Raw);
    }

    /// <summary>Reads what <see cref="WriteRecipe"/> wrote.</summary>
    /// <exception cref="FormatException">The bytes are not a kept recipe.</exception>
    public static SpooledRecipe ReadRecipe(ReadOnlySpan<byte> source)
    {
        var at = 0;
        var (messageId, eventType, generated) = ReadIdentity(source, ref at);
        var recipe = new EventRecipe(ReadString(source, ref at), ReadString(source, ref at));
        return new SpooledRecipe(messageId, eventType, generated, recipe, ReadRaw(source, at));
    }

    private static void WriteIdentity(Span<byte> destination, ref int at, Event @event)
    {
        WriteString(destination, ref at, @event.MessageId);
        WriteString(destination, ref at, @event.EventType);
        WriteInt64(destination, ref at, @event.Generated.UtcTicks);
    }

    private static (string MessageId, string EventType, DateTimeOffset Generated) ReadIdentity(ReadOnlySpan<byte> source, ref int at) =>
        (ReadString(source, ref at), ReadString(source, ref at), ReadTicks(source, ref at));

    /// <summary>Writes the raw body, which ends every record; returns the record's length.</summary>
    private static int WriteRaw(Span<byte> destination, int at, ReadOnlyMemory<byte> raw)
    {
        WriteVarint(destination, ref at, raw.Length);
        raw.Span.CopyTo(destination[at..]);
        return at + raw.Length;
    }

    /// <summary>Reads the raw body, which must end the record.</summary>
    private static byte[] ReadRaw(ReadOnlySpan<byte> source, int at)
    {
        var length = ReadCount(source, ref at, minBytesEach: 1);
        return at + length == source.Length
            ? source.Slice(at, length).ToArray()
            : throw new FormatException($"{source.Length - at - length} bytes after the raw body");
    }

    private static int Checked(long size, Event @event) =>
        size <= SpoolRecord.MaxPayload ? (int)size : throw new ArgumentException($"the event is larger than a spool record may be ({SpoolRecord.MaxPayload} bytes)", nameof(@event));

    private static long MaxString(string value) => MaxVarint + (value.Length * 3L);

    private static long MaxTraits(IReadOnlyList<Trait> traits)
    {
        long size = MaxVarint;
        for (var i = 0; i < traits.Count; i++)
        {
            var trait = traits[i];
            size += MaxString(trait.Name) + 1 + (trait.Type == TraitType.String ? MaxString(trait.StringValue) : sizeof(long));
        }

        return size;
    }

    private static void WriteTraits(Span<byte> destination, ref int at, IReadOnlyList<Trait> traits)
    {
        WriteVarint(destination, ref at, traits.Count);
        for (var i = 0; i < traits.Count; i++)
        {
            var trait = traits[i];
            WriteString(destination, ref at, trait.Name);
            destination[at++] = (byte)trait.Type;
            switch (trait.Type)
            {
                case TraitType.String:
                    WriteString(destination, ref at, trait.StringValue);
                    break;
                case TraitType.Integer:
                    WriteInt64(destination, ref at, trait.IntegerValue);
                    break;
                case TraitType.Float:
                    WriteInt64(destination, ref at, BitConverter.DoubleToInt64Bits(trait.FloatValue));
                    break;
                case TraitType.DateTime:
                    WriteInt64(destination, ref at, trait.DateTimeValue.UtcTicks);
                    break;
                default:
                    break;
            }
        }
    }

    private static Trait[] ReadTraits(ReadOnlySpan<byte> source, ref int at)
    {
        var count = ReadCount(source, ref at, minBytesEach: 2);
        var traits = new Trait[count];
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(source, ref at);
            var type = (TraitType)ReadByte(source, ref at);
            traits[i] = type switch
            {
                TraitType.String => Trait.String(name, ReadString(source, ref at)),
                TraitType.Integer => Trait.Integer(name, ReadInt64(source, ref at)),
                TraitType.Float => Trait.Float(name, BitConverter.Int64BitsToDouble(ReadInt64(source, ref at))),
                TraitType.DateTime => Trait.DateTime(name, ReadTicks(source, ref at)),
                TraitType.None => Trait.None(name),
                _ => throw new FormatException($"trait '{name}' has an unknown type {(int)type}"),
            };
        }

        return traits;
    }

    private static void WriteString(Span<byte> destination, ref int at, string value)
    {
        // Short strings (all trait names and most values) take a one-byte length written after the bytes are counted;
        // they are nearly always ASCII, which narrows for a fraction of the cost of a UTF-8 encoder call.
        if (value.Length * 3 < 0x80)
        {
            var length = Ascii.FromUtf16(value, destination[(at + 1)..], out var narrowed) == OperationStatus.Done
                ? narrowed
                : Encoding.UTF8.GetBytes(value, destination[(at + 1)..]);
            destination[at] = (byte)length;
            at += 1 + length;
            return;
        }

        WriteVarint(destination, ref at, Encoding.UTF8.GetByteCount(value));
        at += Encoding.UTF8.GetBytes(value, destination[at..]);
    }

    private static string ReadString(ReadOnlySpan<byte> source, ref int at)
    {
        var length = ReadCount(source, ref at, minBytesEach: 1);
        var value = Encoding.UTF8.GetString(source.Slice(at, length));
        at += length;
        return value;
    }

    private static void WriteVarint(Span<byte> destination, ref int at, int value)
    {
        var v = (uint)value;
        for (; v >= 0x80; v >>= 7)
        {
            destination[at++] = (byte)(v | 0x80);
        }

        destination[at++] = (byte)v;
    }

    /// <summary>A count of items of at least <paramref name="minBytesEach"/> bytes: more than the rest could hold is corrupt.</summary>
    private static int ReadCount(ReadOnlySpan<byte> source, ref int at, int minBytesEach)
    {
        uint value = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 28)
            {
                throw new FormatException("a length of more than 5 bytes");
            }

            var b = ReadByte(source, ref at);
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        return value <= (uint)(source.Length - at) / (uint)minBytesEach
            ? (int)value
            : throw new FormatException($"a count of {value} at offset {at} past the end of the record");
    }

    private static void WriteInt64(Span<byte> destination, ref int at, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination[at..], value);
        at += sizeof(long);
    }

    private static long ReadInt64(ReadOnlySpan<byte> source, ref int at)
    {
        if (source.Length - at < sizeof(long))
        {
            throw new FormatException($"a value cut off at offset {at}");
        }

        var value = BinaryPrimitives.ReadInt64LittleEndian(source[at..]);
        at += sizeof(long);
        return value;
    }

    private static DateTimeOffset ReadTicks(ReadOnlySpan<byte> source, ref int at)
    {
        var ticks = ReadInt64(source, ref at);
        return ticks is >= 0 and <= 3155378975999999999L // DateTime.MaxValue.Ticks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : throw new FormatException($"an impossible timestamp {ticks}");
    }

    private static byte ReadByte(ReadOnlySpan<byte> source, ref int at) =>
        at < source.Length ? source[at++] : throw new FormatException($"the record ends at offset {at}");
}
