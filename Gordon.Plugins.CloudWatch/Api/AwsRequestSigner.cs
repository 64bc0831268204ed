using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace Gordon.Plugins.CloudWatch.Api;

/// <summary>
/// Signs a request sent through <see cref="HttpClient"/> with SigV4, using AWSSDK.Core's <see cref="AWS4Signer"/>
/// for the canonical request, the key derivation and the signature. Its instance <c>Sign</c> takes the time from
/// the process clock and wants the SDK's request pipeline; its static parts take the time we give them, so the
/// daemon's <see cref="TimeProvider"/> decides X-Amz-Date (and tests can fix it).
/// </summary>
internal sealed class AwsRequestSigner : AWS4Signer
{
    private AwsRequestSigner()
    {
    }

    /// <summary>Signs one request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="endpoint">The full URL (path and query are signed).</param>
    /// <param name="headers">Headers to sign besides the ones this adds (e.g. Content-Type), exactly as they will be sent.</param>
    /// <param name="body">The body.</param>
    /// <param name="credentials">The credentials; a session token is signed as X-Amz-Security-Token.</param>
    /// <param name="region">The signing region.</param>
    /// <param name="service">The signing service name (<c>monitoring</c> for CloudWatch, <c>sts</c> for STS).</param>
    /// <param name="now">The signing time.</param>
    /// <param name="signPayloadHeader">Whether to add and sign X-Amz-Content-SHA256 (the SDK does; the test suite's vectors do not).</param>
    /// <returns>The headers to send: the given ones plus host, X-Amz-Date, the payload hash, the token and Authorization.</returns>
    public static IReadOnlyDictionary<string, string> Sign(
        string method,
        Uri endpoint,
        IReadOnlyDictionary<string, string> headers,
        ReadOnlySpan<byte> body,
        ImmutableCredentials credentials,
        string region,
        string service,
        DateTimeOffset now,
        bool signPayloadHeader = true)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(credentials);
        var at = now.UtcDateTime;
        var all = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        InitializeHeaders(all, endpoint, at);
        // SHA-256 of the span itself: the SDK's ComputeHash wants an array, a copy of up to 1 MB per request.
        var payloadHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
        if (signPayloadHeader)
        {
            all["X-Amz-Content-SHA256"] = payloadHash;
        }

        if (credentials.UseToken)
        {
            all["X-Amz-Security-Token"] = credentials.Token;
        }

        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in all)
        {
            sorted[name.ToLowerInvariant()] = value;
        }

        var query = endpoint.Query.Length > 1 ? CanonicalizeQueryParameters(endpoint.Query[1..]) : string.Empty;
        // An empty resource path: the SDK takes the path from the endpoint itself.
        var canonical = CanonicalizeRequest(endpoint, string.Empty, method, sorted, query, payloadHash);
        var result = ComputeSignature(credentials, region, at, service, CanonicalizeHeaderNames(sorted), canonical);
        all["Authorization"] = result.ForAuthorizationHeader;
        return all;
    }
}
