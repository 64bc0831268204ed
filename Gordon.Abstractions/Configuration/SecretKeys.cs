namespace Gordon.Abstractions.Configuration;

/// <summary>Which config keys hold secrets: their values are redacted wherever config is printed, served or logged.</summary>
public static class SecretKeys
{
    /// <summary>What a redacted value is replaced with.</summary>
    public const string Redacted = "***";

    private static readonly string[] Words = ["password", "passwd", "token", "secret", "credential", "api_key", "apikey"];

    /// <summary>
    /// True for keys named like <c>password</c>, <c>token</c>, <c>secret</c>, or ending in <c>_key</c>
    /// (<c>auth_token</c>, <c>secret_access_key</c>, <c>private_key</c>, …).
    /// </summary>
    /// <param name="key">The key (the last part of a dotted path).</param>
    /// <returns>Whether the key's value must never be shown.</returns>
    public static bool IsSecret(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.EndsWith("_key", StringComparison.OrdinalIgnoreCase) || key.Equals("key", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var word in Words)
        {
            if (key.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Hides the password of a URL with credentials (<c>postgresql://gordon:pw@db/events</c> becomes
    /// <c>postgresql://gordon:***@db/events</c>); any other text is returned unchanged. Use it before logging
    /// or showing a connection URL.
    /// </summary>
    /// <param name="text">A config value or URL.</param>
    /// <returns>The text with the URL's password replaced by <see cref="Redacted"/>.</returns>
    public static string RedactUrlPassword(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            return text;
        }

        var authorityStart = scheme + 3;
        var authorityEnd = text.IndexOfAny(['/', '?', '#'], authorityStart);
        var authority = authorityEnd < 0 ? text.AsSpan(authorityStart) : text.AsSpan(authorityStart, authorityEnd - authorityStart);

        // The last '@' ends the user info: a password may itself contain '@' when the URL was written by hand.
        var at = authority.LastIndexOf('@');
        var colon = at < 0 ? -1 : authority[..at].IndexOf(':');
        if (colon < 0)
        {
            return text;
        }

        var passwordStart = authorityStart + colon + 1;
        var passwordEnd = authorityStart + at;
        return passwordEnd == passwordStart
            ? text
            : string.Concat(text.AsSpan(0, passwordStart), Redacted, text.AsSpan(passwordEnd));
    }
}
