using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gordon.Plugins.Collectors.Insights;

/// <summary>
/// Keeps <see cref="GatherState"/> as a small JSON file in the state directory, replaced atomically (write a temporary
/// file, then rename), so a crash leaves either the old state or the new one.
/// </summary>
internal sealed class GatherStateStore(string path)
{
    public string Path { get; } = path;

    /// <summary>Reads the state; a missing file is the empty state.</summary>
    /// <exception cref="InvalidDataException">The file is not a state file; the message names it.</exception>
    public async Task<GatherState> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return GatherState.Empty;
        }

        try
        {
            var text = await File.ReadAllTextAsync(Path, cancellationToken).ConfigureAwait(false);
            var root = JsonNode.Parse(text)?.AsObject() ?? throw new InvalidDataException("the file holds null");
            var entries = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            if (root["entries"] is JsonObject map)
            {
                foreach (var (key, value) in map)
                {
                    entries[key] = ParseTime(value, "entries." + key);
                }
            }

            return new GatherState(
                root["last_gather"] is { } last ? ParseTime(last, "last_gather") : null,
                root["last_attempt"] is { } attempt ? ParseTime(attempt, "last_attempt") : null,
                entries);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or InvalidDataException or FormatException)
        {
            throw new InvalidDataException(
                $"the collector state file {Path} cannot be read ({e.Message}); fix it, or delete it to gather the last 28 days again", e);
        }
    }

    public async Task SaveAsync(GatherState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var entries = new JsonObject();
        foreach (var (key, value) in state.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            entries[key] = Format(value);
        }

        var root = new JsonObject
        {
            ["last_gather"] = state.LastGather is { } last ? Format(last) : null,
            ["last_attempt"] = state.LastAttempt is { } attempt ? Format(attempt) : null,
            ["entries"] = entries,
        };
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temporary = Path + ".tmp";
        await File.WriteAllTextAsync(temporary, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, Path, overwrite: true);
    }

    private static DateTimeOffset ParseTime(JsonNode? node, string name)
    {
        if (node?.GetValueKind() == JsonValueKind.String
            && DateTimeOffset.TryParse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        throw new InvalidDataException($"'{name}' is not a timestamp");
    }

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
}
