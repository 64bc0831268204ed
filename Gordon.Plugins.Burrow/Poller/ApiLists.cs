using System.Text.Json;

namespace Gordon.Plugins.Burrow.Poller;

/// <summary>Reads the name lists of <c>/v3/kafka</c> (<c>clusters</c>) and <c>/v3/kafka/{c}/consumer</c> (<c>consumers</c>).</summary>
internal static class ApiLists
{
    /// <summary>The strings of the array under <paramref name="property"/>.</summary>
    /// <exception cref="JsonException">The body is not JSON, or the array is missing.</exception>
    public static IReadOnlyList<string> Read(byte[] body, string property)
    {
        using var document = JsonDocument.Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty(property, out var array)
            || array.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException($"the answer has no '{property}' array");
        }

        var names = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } name)
            {
                names.Add(name);
            }
        }

        return names;
    }
}
