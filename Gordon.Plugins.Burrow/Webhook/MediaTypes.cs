namespace Gordon.Plugins.Burrow.Webhook;

/// <summary>Content-type checks without parsing the header into objects.</summary>
internal static class MediaTypes
{
    /// <summary>True for <c>application/json</c>, <c>text/json</c> and <c>application/*+json</c>, with any parameters.</summary>
    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var span = contentType.AsSpan();
        var semicolon = span.IndexOf(';');
        var type = (semicolon >= 0 ? span[..semicolon] : span).Trim();
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
