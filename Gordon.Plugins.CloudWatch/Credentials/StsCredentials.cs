using Amazon.Runtime;

namespace Gordon.Plugins.CloudWatch.Credentials;

/// <summary>Temporary credentials from STS, with their expiry.</summary>
/// <param name="Credentials">The key, secret and session token.</param>
/// <param name="Expiration">When STS said they expire.</param>
internal sealed record StsCredentials(ImmutableCredentials Credentials, DateTimeOffset Expiration);
