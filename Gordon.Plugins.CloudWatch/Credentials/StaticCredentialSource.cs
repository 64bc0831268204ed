using Amazon.Runtime;

namespace Gordon.Plugins.CloudWatch.Credentials;

/// <summary>Fixed credentials (tests, and callers that resolved them elsewhere).</summary>
/// <param name="credentials">The credentials.</param>
/// <param name="from">Where they came from, for logs.</param>
internal sealed class StaticCredentialSource(ImmutableCredentials credentials, string from = "static credentials") : ICredentialSource
{
    public string? ResolvedFrom => from;

    public ValueTask<ImmutableCredentials> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credentials);

    public void Invalidate()
    {
    }
}
