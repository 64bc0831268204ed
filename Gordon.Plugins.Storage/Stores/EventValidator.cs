using System.Text;
using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Storage.Stores;

/// <summary>
/// Checks an event against what every backend can store, so the same event is accepted or refused the same way
/// on SQLite, PostgreSQL and MariaDB, with a reason instead of a silent truncation.
/// </summary>
internal static class EventValidator
{
    /// <summary>The longest message id, event type, trait name and text value, in characters (code points).</summary>
    public const int MaxTextLength = 255;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryValidate(Event @event, out ValidEvent valid, out string reason)
    {
        ArgumentNullException.ThrowIfNull(@event);
        valid = null!;
        if (CheckText("message_id", @event.MessageId, allowEmpty: false) is { } idProblem)
        {
            reason = idProblem;
            return false;
        }

        if (CheckText("event_type", @event.EventType, allowEmpty: false) is { } typeProblem)
        {
            reason = typeProblem;
            return false;
        }

        string raw;
        try
        {
            raw = StrictUtf8.GetString(@event.Raw.Span);
        }
        catch (DecoderFallbackException)
        {
            reason = "raw is not valid UTF-8";
            return false;
        }

        if (raw.Contains('\0', StringComparison.Ordinal))
        {
            reason = "raw contains a NUL character";
            return false;
        }

        var result = new ValidEvent
        {
            MessageId = @event.MessageId,
            EventType = @event.EventType,
            GeneratedMicros = TimeCodec.ToMicros(@event.Generated),
            Raw = raw,
        };
        var seen = new HashSet<(string, int)>();
        foreach (var trait in @event.Traits)
        {
            if (trait.Name is null)
            {
                reason = "a trait has no name (default Trait value)";
                return false;
            }

            if (CheckText("trait name", trait.Name, allowEmpty: false) is { } nameProblem)
            {
                reason = nameProblem;
                return false;
            }

            // None and text share the text table, whose key is (event, name): each name once per table.
            var table = trait.Type is TraitType.None ? (int)TraitType.String : (int)trait.Type;
            if (!seen.Add((trait.Name, table)))
            {
                reason = $"trait '{trait.Name}' appears more than once with type {(TraitType)table}";
                return false;
            }

            switch (trait.Type)
            {
                case TraitType.None:
                    result.Texts.Add(new(trait.Name, null));
                    break;
                case TraitType.String:
                    if (CheckText($"trait '{trait.Name}'", trait.StringValue, allowEmpty: true) is { } valueProblem)
                    {
                        reason = valueProblem;
                        return false;
                    }

                    result.Texts.Add(new(trait.Name, trait.StringValue));
                    break;
                case TraitType.Integer:
                    result.Integers.Add(new(trait.Name, trait.IntegerValue));
                    break;
                case TraitType.Float:
                    if (!double.IsFinite(trait.FloatValue))
                    {
                        reason = $"trait '{trait.Name}' is {trait.FloatValue}: only finite floats can be stored";
                        return false;
                    }

                    result.Floats.Add(new(trait.Name, trait.FloatValue));
                    break;
                case TraitType.DateTime:
                    result.DateTimes.Add(new(trait.Name, TimeCodec.ToMicros(trait.DateTimeValue)));
                    break;
                default:
                    reason = $"trait '{trait.Name}' has unknown type {(int)trait.Type}";
                    return false;
            }
        }

        valid = result;
        reason = string.Empty;
        return true;
    }

    private static string? CheckText(string what, string? text, bool allowEmpty)
    {
        if (text is null || (!allowEmpty && text.Length == 0))
        {
            return $"{what} is empty";
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return $"{what} contains a NUL character";
        }

        // Columns count characters (code points), not UTF-16 units; a lone surrogate cannot be stored as UTF-8.
        var length = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune == Rune.ReplacementChar && !text.Contains('\uFFFD', StringComparison.Ordinal))
            {
                return $"{what} is not valid Unicode (a lone surrogate)";
            }

            length++;
        }

        return length > MaxTextLength
            ? $"{what} is {length} characters long; at most {MaxTextLength} can be stored"
            : null;
    }
}
