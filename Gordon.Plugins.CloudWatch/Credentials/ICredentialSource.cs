using Amazon.Runtime;

namespace Gordon.Plugins.CloudWatch.Credentials;

/// <summary>Where signing credentials come from.</summary>
internal interface ICredentialSource
{
    /// <summary>Where the last credentials came from (e.g. "environment variables"), for logs and /health; null before any.</summary>
    string? ResolvedFrom { get; }

    /// <summary>Current credentials, refreshed as needed.</summary>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="CredentialsUnavailableException">No source has credentials; the message says what was tried.</exception>
    ValueTask<ImmutableCredentials> GetAsync(CancellationToken cancellationToken);

    /// <summary>Forgets cached credentials (AWS said they expired), so the next call looks again.</summary>
    void Invalidate();
}
