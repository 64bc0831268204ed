using Gordon.Abstractions.Configuration;
using Tomlyn;
using Tomlyn.Parsing;

namespace Gordon.Core.Configuration;

/// <summary>
/// Turns the text of one TOML file into a <see cref="ConfigTable"/> whose every value carries its file, line and column.
/// </summary>
/// <remarks>
/// Two passes: Tomlyn's syntax parser with validation finds every syntax and semantic error (duplicate keys,
/// redefined tables) at once, which its event parser does not check; the event parser then gives each key and
/// value its position, which the serializer's object model would lose.
/// </remarks>
internal static class TomlConfigReader
{
    /// <summary>Parses one file's text.</summary>
    /// <param name="text">The TOML text.</param>
    /// <param name="file">The file path, used in every location.</param>
    /// <returns>The root table (path empty).</returns>
    /// <exception cref="ConfigException">The text is not valid TOML; one problem per error.</exception>
    public static ConfigTable Read(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);

        var problems = Validate(text, file);
        if (problems.Count > 0)
        {
            throw new ConfigException(problems);
        }

        try
        {
            return Build(text, file);
        }
        catch (TomlException ex)
        {
            // Validation passed, so this is unexpected, but it still has to read as a config error.
            throw new ConfigException([new ConfigProblem(string.Empty, "invalid TOML: " + Describe(ex), Where(file, ex.Line, ex.Column))]);
        }
    }

    private static List<ConfigProblem> Validate(string text, string file)
    {
        var problems = new List<ConfigProblem>();
        var document = SyntaxParser.Parse(text, file, validate: true);
        if (!document.HasErrors)
        {
            return problems;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var diagnostic in document.Diagnostics)
        {
            if (diagnostic.Kind != Tomlyn.Syntax.DiagnosticMessageKind.Error)
            {
                continue;
            }

            // Tomlyn's syntax spans are 0-based; ours are 1-based like editors and compilers.
            var location = new ConfigLocation(file, diagnostic.Span.Start.Line + 1, diagnostic.Span.Start.Column + 1);
            var message = "invalid TOML: " + diagnostic.Message.Replace('\n', ' ').Replace("\r", string.Empty, StringComparison.Ordinal);
            if (seen.Add(location + message))
            {
                problems.Add(new ConfigProblem(string.Empty, message, location));
            }
        }

        return problems;
    }

    private static ConfigTable Build(string text, string file)
    {
        var parser = TomlParser.Create(text, new TomlParserOptions { Mode = TomlParserMode.Strict }, new TomlSerializerOptions { SourceName = file });
        var builder = new TomlTreeBuilder(file);
        while (parser.MoveNext())
        {
            var current = parser.Current;
            var location = current.Line > 0 ? new ConfigLocation(file, current.Line, current.Column) : (ConfigLocation?)null;
            switch (current.Kind)
            {
                case TomlParseEventKind.PropertyName:
                    builder.Property(parser.GetPropertyName(), location);
                    break;
                case TomlParseEventKind.StartTable:
                    builder.StartTable(location);
                    break;
                case TomlParseEventKind.EndTable:
                    builder.EndTable();
                    break;
                case TomlParseEventKind.StartArray:
                    builder.StartArray(location);
                    break;
                case TomlParseEventKind.EndArray:
                    builder.EndArray();
                    break;
                case TomlParseEventKind.String:
                    builder.Scalar(parser.GetString(), location);
                    break;
                case TomlParseEventKind.Integer:
                    builder.Scalar(current.GetInt64(), location);
                    break;
                case TomlParseEventKind.Float:
                    builder.Scalar(current.GetDouble(), location);
                    break;
                case TomlParseEventKind.Boolean:
                    builder.Scalar(current.GetBoolean(), location);
                    break;
                case TomlParseEventKind.DateTime:
                    builder.Scalar(ToDateTimeOffset(current.GetTomlDateTime()), location);
                    break;
                default:
                    break;
            }
        }

        return builder.Result();
    }

    // TOML local date-times and dates have no offset; we read them as UTC. A local time (no date) gets
    // 0001-01-01, not today's date, so the same file always gives the same value.
    private static DateTimeOffset ToDateTimeOffset(TomlDateTime value) => value.Kind switch
    {
        TomlDateTimeKind.OffsetDateTimeByZ or TomlDateTimeKind.OffsetDateTimeByNumber => value.DateTime,
        TomlDateTimeKind.LocalTime => new DateTimeOffset(DateTime.MinValue.Add(value.DateTime.TimeOfDay), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value.DateTime.DateTime, DateTimeKind.Unspecified), TimeSpan.Zero),
    };

    private static ConfigLocation? Where(string file, int? line, int? column) =>
        line is > 0 ? new ConfigLocation(file, line.Value, column ?? 1) : null;

    private static string Describe(TomlException ex) =>
        ex.Diagnostics is { Count: > 0 } diagnostics ? diagnostics[0].Message : ex.Message;
}
