namespace Gordon.Core.Configuration;

/// <summary>The <c>[core.http]</c> settings: where the one HTTP server listens, who may call it, and its limits.</summary>
/// <param name="Listen">The listen address as written (checked by <see cref="Hosting.ListenAddress"/>).</param>
/// <param name="AuthToken">The bearer token every route but /health needs; empty for none.</param>
internal sealed record HttpSettings(string Listen, string AuthToken)
{
    public const string DefaultListen = "127.0.0.1:8080";

    /// <summary>Kestrel's limits against oversize and slow requests.</summary>
    public HttpLimits Limits { get; init; } = HttpLimits.Default;

    /// <summary>PEM certificate file for TLS, or null for plain HTTP.</summary>
    public string? TlsCertificate { get; init; }

    /// <summary>PEM private key file for <see cref="TlsCertificate"/> (null when the certificate file holds the key).</summary>
    public string? TlsKey { get; init; }

    // The token is a secret: keep it out of logs that print the record.
    public override string ToString() =>
        $"HttpSettings {{ Listen = {Listen}, AuthToken = {(AuthToken.Length == 0 ? "(none)" : Abstractions.Configuration.SecretKeys.Redacted)}, Tls = {TlsCertificate ?? "(none)"} }}";
}
