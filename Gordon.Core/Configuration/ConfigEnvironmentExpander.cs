using System.Text;
using Gordon.Abstractions.Configuration;

namespace Gordon.Core.Configuration;

/// <summary>
/// Expands <c>${NAME}</c> in every string value (arrays and arrays of tables included), so secrets can stay in
/// the environment. <c>$${</c> is a literal <c>${</c>; a lone <c>$</c> is kept as written.
/// </summary>
internal sealed class ConfigEnvironmentExpander
{
    private readonly Func<string, string?> _environment;

    public ConfigEnvironmentExpander(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = environment;
    }

    /// <summary>Returns a copy of the table with every string expanded; problems are added to the list.</summary>
    /// <param name="table">The table.</param>
    /// <param name="problems">Receives one error per unset variable or malformed reference.</param>
    /// <returns>The expanded table.</returns>
    public ConfigTable Expand(ConfigTable table, List<ConfigProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(problems);
        return new ConfigTable(
            table.Path,
            table.Select(pair => new KeyValuePair<string, ConfigValue>(pair.Key, ExpandValue(table.PathOf(pair.Key), pair.Value, problems))));
    }

    private ConfigValue ExpandValue(string path, ConfigValue value, List<ConfigProblem> problems) => value.Value switch
    {
        string text when text.Contains('$', StringComparison.Ordinal) => value with { Value = ExpandString(path, text, value.Location, problems) },
        ConfigTable table => value with { Value = Expand(table, problems) },
        ConfigArray array => value with
        {
            Value = new ConfigArray(array.Select((item, i) => ExpandValue(FormattableString.Invariant($"{path}[{i}]"), item, problems))),
        },
        _ => value,
    };

    private string ExpandString(string path, string text, ConfigLocation? location, List<ConfigProblem> problems)
    {
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '$' && i + 2 < text.Length && text[i + 1] == '$' && text[i + 2] == '{')
            {
                result.Append("${");
                i += 3;
                continue;
            }

            if (c != '$' || i + 1 >= text.Length || text[i + 1] != '{')
            {
                result.Append(c);
                i++;
                continue;
            }

            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                problems.Add(new ConfigProblem(path, "has '${' without a closing '}' (write '$${' for a literal '${')", location));
                return text;
            }

            var name = text[(i + 2)..close];
            if (!IsVariableName(name))
            {
                problems.Add(new ConfigProblem(path, $"'${{{name}}}' is not a valid environment variable reference (letters, digits and '_', not starting with a digit)", location));
                return text;
            }

            var found = _environment(name);
            if (found is null)
            {
                problems.Add(new ConfigProblem(path, $"environment variable '{name}' is not set (referenced as '${{{name}}}')", location));
                return text;
            }

            result.Append(found);
            i = close + 1;
        }

        return result.ToString();
    }

    private static bool IsVariableName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
