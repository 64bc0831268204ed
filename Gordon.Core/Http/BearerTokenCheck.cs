using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gordon.Core.Http;

/// <summary>
/// Checks <c>Authorization: Bearer &lt;token&gt;</c> against <c>[core.http] auth_token</c> in constant time,
/// so response timing does not leak how much of a guess was right.
/// </summary>
internal sealed class BearerTokenCheck
{
    private readonly byte[] _expected;

    public BearerTokenCheck(string token) => _expected = Encoding.UTF8.GetBytes(token);

    public bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, _expected);
    }
}
