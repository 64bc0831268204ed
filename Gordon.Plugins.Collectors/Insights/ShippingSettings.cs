namespace Gordon.Plugins.Collectors.Insights;

/// <summary>Where and how tarballs are shipped.</summary>
internal sealed class ShippingSettings
{
    /// <summary>The development identity of the original library, used when <c>identity</c> is not set.</summary>
    public const string DefaultIdentity =
        """{"identity": {"type": "User", "account_number": "0000001", "user": {"is_org_admin": true}, "internal": {"org_id": "000001"}}}""";

    public Uri? IngressUrl { get; init; }

    public ShippingAuth Auth { get; init; } = ShippingAuth.UserPass;

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>The JSON identity sent (base64) in <c>x-rh-identity</c>.</summary>
    public string Identity { get; init; } = DefaultIdentity;

    public string? ClientCertificate { get; init; }

    public string? ClientKey { get; init; }

    /// <summary>A PEM bundle of the certificate authorities to trust for the ingress (default: the system's).</summary>
    public string? CaCertificate { get; init; }

    public string? BearerToken { get; init; }

    /// <summary>Extra request headers (a <c>Content-Type</c> among them is ignored: the multipart boundary decides it).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string PayloadContentType { get; init; } = "application/vnd.gordon.analytics+tgz";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(31);

    public int Retries { get; init; } = 3;

    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromMinutes(1);
}
