using System.Text.Json.Serialization;

namespace Gordon.Plugins.Collectors.Grafolean;

/// <summary>One value as the Grafolean values endpoint takes it: a dotted path and a number (no <c>t</c>: POST stamps the receive time).</summary>
/// <param name="Path">The dotted path, e.g. <c>entity.5.ping.success</c>.</param>
/// <param name="Value">The value.</param>
internal sealed record GrafoleanValue([property: JsonPropertyName("p")] string Path, [property: JsonPropertyName("v")] double Value);
