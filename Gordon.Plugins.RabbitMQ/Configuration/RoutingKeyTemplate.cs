using System.Text;
using Gordon.Abstractions.Events;

namespace Gordon.Plugins.RabbitMQ.Configuration;

/// <summary>
/// A routing key with <c>{trait}</c> placeholders, e.g. <c>{cluster}.{group}</c>. A placeholder takes the trait's
/// value as text; a missing trait, or one with no value, takes the default (e.g. <c>_</c>). <c>{event_type}</c> is the
/// event type unless the event has a trait of that name. Values are inserted as they are: a dot in a group name adds a
/// word to a topic key, which a <c>#</c> binding still matches.
/// </summary>
internal sealed class RoutingKeyTemplate
{
    /// <summary>RabbitMQ's limit: a longer key closes the channel.</summary>
    public const int MaxBytes = 255;

    private const string EventTypeName = "event_type";

    // Literal text and placeholder names alternate: even indices are literals, odd ones trait names.
    private readonly string[] _parts;
    private readonly string _default;

    private RoutingKeyTemplate(string[] parts, string defaultValue, string text)
    {
        _parts = parts;
        _default = defaultValue;
        Text = text;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>Parses a template.</summary>
    /// <param name="text">The template.</param>
    /// <param name="defaultValue">What a missing trait becomes.</param>
    /// <param name="template">The template, when valid.</param>
    /// <param name="error">What is wrong, when not.</param>
    /// <returns>Whether the template is valid.</returns>
    public static bool TryParse(string text, string defaultValue, out RoutingKeyTemplate? template, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(defaultValue);
        var parts = new List<string>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '}')
            {
                template = null;
                error = $"'}}' at position {i + 1} closes no placeholder";
                return false;
            }

            if (c != '{')
            {
                literal.Append(c);
                i++;
                continue;
            }

            var close = text.IndexOf('}', i + 1);
            var nested = text.IndexOf('{', i + 1);
            if (close < 0 || (nested >= 0 && nested < close))
            {
                template = null;
                error = $"the placeholder at position {i + 1} is not closed with '}}'";
                return false;
            }

            var name = text[(i + 1)..close];
            if (name.Trim().Length == 0)
            {
                template = null;
                error = $"the placeholder at position {i + 1} names no trait (write e.g. {{cluster}})";
                return false;
            }

            parts.Add(literal.ToString());
            parts.Add(name);
            literal.Clear();
            i = close + 1;
        }

        parts.Add(literal.ToString());
        var literalBytes = 0;
        for (var p = 0; p < parts.Count; p += 2)
        {
            literalBytes += Encoding.UTF8.GetByteCount(parts[p]);
        }

        if (literalBytes > MaxBytes)
        {
            template = null;
            error = $"its fixed text alone is longer than RabbitMQ's {MaxBytes}-byte routing key limit";
            return false;
        }

        template = new RoutingKeyTemplate([.. parts], defaultValue, text);
        error = null;
        return true;
    }

    /// <summary>Fills the placeholders from an event's traits.</summary>
    /// <param name="event">The event.</param>
    /// <param name="truncated">True when the key was cut to <see cref="MaxBytes"/>.</param>
    /// <returns>The routing key, at most <see cref="MaxBytes"/> bytes of UTF-8.</returns>
    public string Render(Event @event, out bool truncated)
    {
        ArgumentNullException.ThrowIfNull(@event);
        truncated = false;
        if (_parts.Length == 1)
        {
            return _parts[0];
        }

        var builder = new StringBuilder(64);
        for (var i = 0; i < _parts.Length; i++)
        {
            builder.Append(i % 2 == 0 ? _parts[i] : Value(@event, _parts[i]));
        }

        var key = builder.ToString();
        if (key.Length * 3 <= MaxBytes || Encoding.UTF8.GetByteCount(key) <= MaxBytes)
        {
            return key;
        }

        truncated = true;
        return Truncate(key);
    }

    private string Value(Event @event, string name)
    {
        if (@event.TryGetTrait(name, out var trait))
        {
            var text = trait.FormatValue();
            return string.IsNullOrEmpty(text) ? _default : text;
        }

        return name == EventTypeName ? @event.EventType : _default;
    }

    // Cut on a character boundary: half a UTF-8 sequence is not a valid key.
    private static string Truncate(string key)
    {
        var bytes = 0;
        var i = 0;
        while (i < key.Length)
        {
            var length = char.IsSurrogatePair(key, i) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(key.AsSpan(i, length));
            if (bytes + size > MaxBytes)
            {
                break;
            }

            bytes += size;
            i += length;
        }

        return key[..i];
    }
}
