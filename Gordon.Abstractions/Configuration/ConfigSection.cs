using System.Globalization;

namespace Gordon.Abstractions.Configuration;

/// <summary>
/// A typed reader over one config table. Getters never throw on bad values: they record a
/// <see cref="ConfigProblem"/> naming the file, line, key path, the value and what was expected, and
/// return the default, so one pass reports every error. The reader also remembers which keys were
/// read, so the host can report the keys nobody reads (typos) by their full path.
/// </summary>
public sealed class ConfigSection
{
    private readonly List<ConfigProblem> _problems;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConfigSection> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ConfigSection>> _listChildren = new(StringComparer.Ordinal);

    /// <summary>Creates a reader over a table, with its own problem list.</summary>
    /// <param name="table">The table.</param>
    public ConfigSection(ConfigTable table)
        : this(table, [])
    {
    }

    private ConfigSection(ConfigTable table, List<ConfigProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
        _problems = problems;
    }

    /// <summary>The table being read.</summary>
    public ConfigTable Table { get; }

    /// <summary>The dotted key path of the table.</summary>
    public string Path => Table.Path;

    /// <summary>Every problem recorded so far by this reader and the readers of its sub-tables.</summary>
    public IReadOnlyList<ConfigProblem> Problems => _problems;

    /// <summary>True when an error (not a warning) was recorded.</summary>
    public bool HasErrors => _problems.Exists(p => !p.IsWarning);

    /// <summary>True when the table has the key.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether the key is set (reading it this way does not mark it used).</returns>
    public bool Contains(string key) => Table.ContainsKey(key);

    /// <summary>Marks a key as read, for keys a caller handles through <see cref="Table"/> directly.</summary>
    /// <param name="key">The key.</param>
    public void MarkUsed(string key) => _used.Add(key);

    /// <summary>Records a problem with a key of this table (for a plugin's own validation).</summary>
    /// <param name="key">The key.</param>
    /// <param name="message">What is wrong and what was expected.</param>
    public void AddProblem(string key, string message)
    {
        Table.TryGetValue(key, out var value);
        _problems.Add(new ConfigProblem(Table.PathOf(key), message, value?.Location));
    }

    /// <summary>
    /// Records a warning about a key: shown by <c>gordon validate</c> and logged at start, an error only under
    /// <c>strict</c>. For settings that work but are risky (an API open beyond loopback without tokens).
    /// </summary>
    /// <param name="key">The key the warning is about (its location is reported when it was set).</param>
    /// <param name="message">What is risky and what to do about it.</param>
    public void AddWarning(string key, string message)
    {
        Table.TryGetValue(key, out var value);
        _problems.Add(new ConfigProblem(Table.PathOf(key), message, value?.Location, IsWarning: true));
    }

    /// <summary>Reads a string.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value when the key is missing or invalid.</param>
    /// <returns>The value.</returns>
    public string GetString(string key, string defaultValue) =>
        TryGet(key, out var value) ? AsString(key, value) ?? defaultValue : defaultValue;

    /// <summary>Reads a string that may be absent.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value, or null when missing or invalid.</returns>
    public string? GetOptionalString(string key) => TryGet(key, out var value) ? AsString(key, value) : null;

    /// <summary>Reads a string that must be present and not empty.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value, or an empty string (with a problem recorded) when missing or invalid.</returns>
    public string RequireString(string key)
    {
        if (!TryGet(key, out var value))
        {
            _problems.Add(new ConfigProblem(Table.PathOf(key), "is required (a string) but is not set", null));
            return string.Empty;
        }

        var text = AsString(key, value);
        if (text is { Length: 0 })
        {
            Bad(key, value, "a non-empty string");
        }

        return text ?? string.Empty;
    }

    /// <summary>Reads an integer within a range.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value when the key is missing or invalid.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The value.</returns>
    public long GetInt64(string key, long defaultValue, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        if (value.Value is not long number)
        {
            Bad(key, value, "an integer");
            return defaultValue;
        }

        if (number < min || number > max)
        {
            Bad(key, value, RangeText(min, max, long.MinValue, long.MaxValue));
            return defaultValue;
        }

        return number;
    }

    /// <summary>Reads a 32-bit integer within a range.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value when the key is missing or invalid.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The value.</returns>
    public int GetInt32(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue) =>
        (int)GetInt64(key, defaultValue, min, max);

    /// <summary>Reads a number (an integer is accepted as a float).</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value when the key is missing or invalid.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The value.</returns>
    public double GetDouble(string key, double defaultValue, double min = double.MinValue, double max = double.MaxValue)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        double number;
        if (value.Value is double d)
        {
            number = d;
        }
        else if (value.Value is long l)
        {
            number = l;
        }
        else
        {
            Bad(key, value, "a number");
            return defaultValue;
        }

        if (double.IsNaN(number) || number < min || number > max)
        {
            Bad(key, value, (min == double.MinValue, max == double.MaxValue) switch
            {
                (true, true) => "a number",
                (false, true) => FormattableString.Invariant($"a number of at least {min}"),
                (true, false) => FormattableString.Invariant($"a number of at most {max}"),
                _ => FormattableString.Invariant($"a number from {min} to {max}"),
            });
            return defaultValue;
        }

        return number;
    }

    /// <summary>Reads a boolean.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value when the key is missing or invalid.</param>
    /// <returns>The value.</returns>
    public bool GetBoolean(string key, bool defaultValue)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        if (value.Value is bool b)
        {
            return b;
        }

        Bad(key, value, "true or false");
        return defaultValue;
    }

    /// <summary>
    /// Reads a duration: a string of number-unit pairs (<c>"250ms"</c>, <c>"30s"</c>, <c>"5m"</c>,
    /// <c>"1h30m"</c>, <c>"7d"</c>) or an integer number of seconds.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value when the key is missing or invalid.</param>
    /// <param name="min">The shortest allowed duration (default zero).</param>
    /// <param name="max">The longest allowed duration (default none).</param>
    /// <returns>The value.</returns>
    public TimeSpan GetDuration(string key, TimeSpan defaultValue, TimeSpan? min = null, TimeSpan? max = null)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        TimeSpan? parsed = value.Value switch
        {
            long seconds when seconds is >= 0 and <= 100L * 365 * 86400 => TimeSpan.FromSeconds(seconds),
            string text => ConfigParsers.ParseDuration(text),
            _ => null,
        };
        var lower = min ?? TimeSpan.Zero;
        if (parsed is not { } duration || duration < lower || (max is { } upper && duration > upper))
        {
            var range = max is { } m ? $" from {ConfigParsers.FormatDuration(lower)} to {ConfigParsers.FormatDuration(m)}"
                : lower > TimeSpan.Zero ? $" of at least {ConfigParsers.FormatDuration(lower)}" : string.Empty;
            Bad(key, value, $"a duration like \"250ms\", \"30s\", \"5m\" or \"1h30m\" (or whole seconds){range}");
            return defaultValue;
        }

        return duration;
    }

    /// <summary>
    /// Reads a size in bytes: a string like <c>"1MiB"</c>, <c>"512KiB"</c>, <c>"10MB"</c> (powers of 1000) or
    /// an integer number of bytes.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value when the key is missing or invalid.</param>
    /// <param name="min">The smallest allowed size.</param>
    /// <returns>The value.</returns>
    public long GetSize(string key, long defaultValue, long min = 0)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        long? parsed = value.Value switch
        {
            long bytes when bytes >= 0 => bytes,
            string text => ConfigParsers.ParseSize(text),
            _ => null,
        };
        if (parsed is not { } size || size < min)
        {
            var range = min > 0 ? FormattableString.Invariant($" of at least {min} bytes") : string.Empty;
            Bad(key, value, $"a size like \"1MiB\", \"512KiB\" or \"10MB\"{range}");
            return defaultValue;
        }

        return size;
    }

    /// <summary>Reads an absolute URL.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value when the key is missing or invalid.</param>
    /// <param name="allowedSchemes">The schemes accepted (e.g. <c>http</c>, <c>https</c>); none means any.</param>
    /// <returns>The value.</returns>
    public Uri? GetUri(string key, Uri? defaultValue, params string[] allowedSchemes)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        ArgumentNullException.ThrowIfNull(allowedSchemes);
        // On Unix "/var/x" parses as an absolute file: URI; only a URL that names its scheme counts, and every
        // scheme but file: needs a host ("http:foo" parses too).
        if (value.Value is string text && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && text.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase)
            && (uri.IsFile || uri.Host.Length > 0)
            && (allowedSchemes.Length == 0 || allowedSchemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase)))
        {
            return uri;
        }

        var schemes = allowedSchemes.Length == 0 ? "an absolute URL" : $"an absolute {string.Join(" or ", allowedSchemes)} URL";
        Bad(key, value, schemes);
        return defaultValue;
    }

    /// <summary>
    /// Reads one of an enum's names, matched without regard to case or underscores
    /// (<c>"round_robin"</c> matches <c>RoundRobin</c>).
    /// </summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value when the key is missing or invalid.</param>
    /// <returns>The value.</returns>
    public TEnum GetEnum<TEnum>(string key, TEnum defaultValue)
        where TEnum : struct, Enum
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        if (value.Value is string text)
        {
            var wanted = text.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
            foreach (var name in Enum.GetNames<TEnum>())
            {
                if (string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase))
                {
                    return Enum.Parse<TEnum>(name);
                }
            }
        }

        var choices = string.Join(", ", Enum.GetNames<TEnum>().Select(n => "\"" + ConfigParsers.ToSnakeCase(n) + "\""));
        Bad(key, value, "one of " + choices);
        return defaultValue;
    }

    /// <summary>Reads an array of strings.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value when the key is missing or invalid.</param>
    /// <returns>The value.</returns>
    public IReadOnlyList<string> GetStringList(string key, IReadOnlyList<string> defaultValue)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        if (value.Value is not ConfigArray array)
        {
            Bad(key, value, "an array of strings");
            return defaultValue;
        }

        var strings = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i].Value is string text)
            {
                strings.Add(text);
            }
            else
            {
                // Name the element and point at it: in a long list "got array [array of 9]" is no help.
                Bad(FormattableString.Invariant($"{key}[{i}]"), array[i], "a string", key);
            }
        }

        return strings.Count == array.Count ? strings : defaultValue;
    }

    /// <summary>Reads a sub-table; a missing key gives an empty table, so defaults apply.</summary>
    /// <param name="key">The key.</param>
    /// <returns>A reader over the sub-table, sharing this reader's problem list.</returns>
    public ConfigSection GetSection(string key)
    {
        if (_children.TryGetValue(key, out var existing))
        {
            return existing;
        }

        ConfigTable table;
        if (TryGet(key, out var value) && value.Value is ConfigTable child)
        {
            table = child;
        }
        else
        {
            if (value is not null)
            {
                Bad(key, value, "a table");
            }

            table = new ConfigTable(Table.PathOf(key), []);
        }

        var section = new ConfigSection(table, _problems);
        _children.Add(key, section);
        return section;
    }

    /// <summary>Reads an array of tables (<c>[[jobs]]</c>).</summary>
    /// <param name="key">The key.</param>
    /// <returns>A reader per table; empty when the key is missing or invalid.</returns>
    public IReadOnlyList<ConfigSection> GetSectionList(string key)
    {
        if (_listChildren.TryGetValue(key, out var existing))
        {
            return existing;
        }

        IReadOnlyList<ConfigSection> sections = [];
        if (TryGet(key, out var value))
        {
            if (value.Value is ConfigArray array && array.All(item => item.Value is ConfigTable))
            {
                sections = [.. array.Select(item => new ConfigSection((ConfigTable)item.Value, _problems))];
            }
            else
            {
                Bad(key, value, "an array of tables (written [[" + Table.PathOf(key) + "]])");
            }
        }

        // Cached, so reading twice neither duplicates problems of the caller nor unknown-key reports.
        _listChildren.Add(key, sections);
        return sections;
    }

    /// <summary>
    /// The keys of this table and of every sub-table read through it that were never read: usually typos.
    /// </summary>
    /// <returns>One warning per unknown key, naming its full path and location.</returns>
    public IReadOnlyList<ConfigProblem> FindUnknownKeys()
    {
        var unknown = new List<ConfigProblem>();
        CollectUnknown(unknown);
        return unknown;
    }

    /// <summary>Throws when an error was recorded.</summary>
    /// <exception cref="ConfigException">Lists every error recorded.</exception>
    public void ThrowIfInvalid()
    {
        if (HasErrors)
        {
            throw new ConfigException(_problems.Where(p => !p.IsWarning).ToList());
        }
    }

    private void CollectUnknown(List<ConfigProblem> unknown)
    {
        foreach (var (key, value) in Table)
        {
            if (_children.TryGetValue(key, out var child))
            {
                child.CollectUnknown(unknown);
            }
            else if (!_used.Contains(key))
            {
                unknown.Add(new ConfigProblem(Table.PathOf(key), "unknown key (not used by anything; a typo?)", value.Location, IsWarning: true));
            }
        }

        foreach (var children in _listChildren.Values)
        {
            foreach (var child in children)
            {
                child.CollectUnknown(unknown);
            }
        }
    }

    private bool TryGet(string key, out ConfigValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        _used.Add(key);
        return Table.TryGetValue(key, out value!);
    }

    private string? AsString(string key, ConfigValue value)
    {
        if (value.Value is string text)
        {
            return text;
        }

        Bad(key, value, "a string");
        return null;
    }

    private void Bad(string key, ConfigValue value, string expected, string? secretKey = null)
    {
        // A value under a secret key or table (e.g. [aws.credentials] user) is never echoed.
        var secret = SecretKeys.IsSecret(secretKey ?? key) || Table.Path.Split('.').Any(SecretKeys.IsSecret);
        var shown = secret ? SecretKeys.Redacted : ConfigParsers.FormatValue(value.Value);
        _problems.Add(new ConfigProblem(
            Table.PathOf(key),
            $"expected {expected}, got {value.TypeName} {shown}",
            value.Location));
    }

    private static string RangeText(long min, long max, long floor, long ceiling) =>
        (min == floor, max == ceiling) switch
        {
            (false, true) => FormattableString.Invariant($"an integer of at least {min}"),
            (true, false) => FormattableString.Invariant($"an integer of at most {max}"),
            _ => FormattableString.Invariant($"an integer from {min} to {max}"),
        };
}
