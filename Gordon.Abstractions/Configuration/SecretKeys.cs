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
}
