namespace Gordon.Core.Configuration;

/// <summary>The <c>[core.http]</c> table.</summary>
/// <param name="Listen">The address the one HTTP server listens on, e.g. <c>127.0.0.1:8080</c>.</param>
/// <param name="AuthToken">The bearer token every route but <c>/health</c> needs; empty means no auth.</param>
internal sealed record HttpSettings(string Listen, string AuthToken)
{
    public const string DefaultListen = "127.0.0.1:8080";

    // The token is a secret: keep it out of logs that print the record.
    public override string ToString() =>
        $"HttpSettings {{ Listen = {Listen}, AuthToken = {(AuthToken.Length == 0 ? "(none)" : Abstractions.Configuration.SecretKeys.Redacted)} }}";
}
