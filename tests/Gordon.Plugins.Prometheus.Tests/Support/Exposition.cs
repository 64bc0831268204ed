using System.Globalization;
using System.Text;

namespace Gordon.Plugins.Prometheus.Tests.Support;

/// <summary>One sample line.</summary>
internal sealed record ExpositionSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>One metric family: its HELP, TYPE and samples.</summary>
internal sealed record ExpositionFamily(string Name, string Type, string Help, List<ExpositionSample> Samples);

/// <summary>
/// A strict parser of the Prometheus text format 0.0.4 and of OpenMetrics 1.0 text, written for the tests so they check
/// the exposition independently of prometheus-net: every sample belongs to a family declared with HELP and TYPE before
/// it, names are valid, label values use only the allowed escapes, no series appears twice, and OpenMetrics ends with
/// <c># EOF</c>. Any violation throws <see cref="FormatException"/> naming the line.
/// </summary>
internal sealed class Exposition
{
    private static readonly string[] SampleSuffixes = ["_bucket", "_sum", "_count", "_total", "_created"];
    private readonly Dictionary<string, ExpositionFamily> _families;

    private Exposition(Dictionary<string, ExpositionFamily> families) => _families = families;

    public IReadOnlyDictionary<string, ExpositionFamily> Families => _families;

    public IEnumerable<ExpositionSample> Samples => _families.Values.SelectMany(f => f.Samples);

    /// <summary>The samples of a sample name (e.g. <c>karrot_consumer_lag</c>, <c>x_bucket</c>).</summary>
    public IReadOnlyList<ExpositionSample> Named(string name) => [.. Samples.Where(s => s.Name == name)];

    /// <summary>The one sample of the name whose labels include the given ones; null when there is none.</summary>
    public ExpositionSample? Find(string name, params (string Label, string Value)[] labels)
    {
        var matches = Named(name).Where(s => labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw new AssertionException($"{matches.Count} samples of {name} match {string.Join(",", labels)}; the test must be more specific"),
        };
    }

    /// <summary>The value of the one sample matching; fails the test when there is none.</summary>
    public double Value(string name, params (string Label, string Value)[] labels) =>
        Find(name, labels)?.Value ?? throw new AssertionException($"no sample {name} with {string.Join(",", labels)}");

    public static Exposition Parse(string text, bool openMetrics)
    {
        var families = new Dictionary<string, ExpositionFamily>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        var eof = false;
        var helps = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            var at = $"line {n + 1} \"{line}\"";
            if (n == lines.Length - 1)
            {
                if (line.Length != 0)
                {
                    throw new FormatException($"{at}: the exposition must end with a newline");
                }

                break;
            }

            if (eof)
            {
                throw new FormatException($"{at}: content after # EOF");
            }

            if (line == "# EOF")
            {
                eof = openMetrics ? true : throw new FormatException($"{at}: # EOF in the 0.0.4 text format");
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                var name = space < 0 ? rest : rest[..space];
                CheckName(name, at);
                helps[name] = UnescapeHelp(space < 0 ? string.Empty : rest[(space + 1)..], openMetrics, at);
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line["# TYPE ".Length..].Split(' ');
                if (parts.Length != 2 || parts[1] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped" or "unknown" or "info" or "stateset" or "gaugehistogram"))
                {
                    throw new FormatException($"{at}: bad TYPE line");
                }

                CheckName(parts[0], at);
                if (!helps.TryGetValue(parts[0], out var help))
                {
                    throw new FormatException($"{at}: TYPE of {parts[0]} without a HELP line before it");
                }

                if (!families.TryAdd(parts[0], new ExpositionFamily(parts[0], parts[1], help, [])))
                {
                    throw new FormatException($"{at}: family {parts[0]} declared twice");
                }

                continue;
            }

            if (line.StartsWith('#'))
            {
                throw new FormatException($"{at}: unexpected comment");
            }

            var sample = ParseSample(line, at);
            var family = FamilyOf(families, sample.Name, at);
            var identity = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            if (!seen.Add(identity))
            {
                throw new FormatException($"{at}: duplicate series {identity}");
            }

            family.Samples.Add(sample);
        }

        if (openMetrics && !eof)
        {
            throw new FormatException("OpenMetrics exposition without # EOF");
        }

        return new Exposition(families);
    }

    private static ExpositionFamily FamilyOf(Dictionary<string, ExpositionFamily> families, string sampleName, string at)
    {
        if (families.TryGetValue(sampleName, out var family))
        {
            return family;
        }

        foreach (var suffix in SampleSuffixes)
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal) && families.TryGetValue(sampleName[..^suffix.Length], out family))
            {
                return family;
            }
        }

        throw new FormatException($"{at}: sample {sampleName} of no declared family");
    }

    private static ExpositionSample ParseSample(string line, string at)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = line[..i];
        CheckName(name, at);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var labelName = line[i..eq];
                CheckName(labelName, at);
                if (line[eq + 1] != '"')
                {
                    throw new FormatException($"{at}: label value not quoted");
                }

                var value = new StringBuilder();
                var j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] != '\\')
                    {
                        value.Append(line[j]);
                        continue;
                    }

                    j++;
                    value.Append(line[j] switch
                    {
                        '\\' => '\\',
                        '"' => '"',
                        'n' => '\n',
                        _ => throw new FormatException($"{at}: bad escape \\{line[j]} in a label value"),
                    });
                }

                if (!labels.TryAdd(labelName, value.ToString()))
                {
                    throw new FormatException($"{at}: label {labelName} twice");
                }

                i = j + 1;
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        if (i >= line.Length || line[i] != ' ')
        {
            throw new FormatException($"{at}: no space before the value");
        }

        var fields = line[(i + 1)..].Split(' ');
        var number = fields[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"{at}: bad value {t}"),
        };
        return new ExpositionSample(name, labels, number);
    }

    private static void CheckName(string name, string at)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
        {
            throw new FormatException($"{at}: invalid name \"{name}\"");
        }
    }

    private static string UnescapeHelp(string help, bool openMetrics, string at)
    {
        var text = new StringBuilder();
        for (var i = 0; i < help.Length; i++)
        {
            if (help[i] != '\\')
            {
                if (openMetrics && help[i] == '"')
                {
                    throw new FormatException($"{at}: unescaped quote in OpenMetrics help");
                }

                text.Append(help[i]);
                continue;
            }

            i++;
            text.Append(i < help.Length ? help[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                '"' when openMetrics => '"',
                _ => throw new FormatException($"{at}: bad escape in help"),
            } : throw new FormatException($"{at}: help ends in a backslash"));
        }

        return text.ToString();
    }
}
