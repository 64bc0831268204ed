using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gordon.Plugins.Burrow.Webhook;

/// <summary>
/// The webhook's inbound checks, all off by default: an address allowlist (CIDR blocks, checked on the TCP peer),
/// HTTP Basic auth (which Burrow's notifier sends from its <c>username</c>/<c>password</c>), and a shared-secret
/// header (from the notifier's <c>headers</c> map). Every configured check must pass.
/// </summary>
/// <remarks>
/// Secrets are compared as SHA-256 digests in constant time, so neither timing nor length tells a guesser how
/// close they came.
/// </remarks>
internal sealed class InboundAuth
{
    private const int MaxHeaderLength = 4096;

    private readonly IPNetwork[] _allow;
    private readonly byte[]? _basicDigest;
    private readonly string? _tokenHeader;
    private readonly byte[]? _tokenDigest;

    public InboundAuth(WebhookSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _allow = [.. settings.AllowCidrs];
        if (settings.Username is { } user && settings.Password is { } password)
        {
            _basicDigest = SHA256.HashData(Encoding.UTF8.GetBytes(user + ":" + password));
        }

        if (settings.AuthToken is { } token)
        {
            _tokenHeader = settings.AuthHeader;
            _tokenDigest = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        }
    }

    /// <summary>True when any check is configured.</summary>
    public bool IsEnabled => _allow.Length > 0 || _basicDigest is not null || _tokenDigest is not null;

    /// <summary>True when Basic auth is configured (a 401 then names the Basic scheme).</summary>
    public bool UsesBasic => _basicDigest is not null;

    public AuthOutcome Check(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_allow.Length > 0 && !IsAllowedAddress(context.Connection.RemoteIpAddress))
        {
            return AuthOutcome.Forbidden;
        }

        if (_basicDigest is not null && !MatchesBasic(context.Request.Headers.Authorization.ToString(), _basicDigest))
        {
            return AuthOutcome.Unauthorized;
        }

        if (_tokenDigest is not null && !MatchesSecret(context.Request.Headers[_tokenHeader!].ToString(), _tokenDigest))
        {
            return AuthOutcome.Unauthorized;
        }

        return AuthOutcome.Allowed;
    }

    private bool IsAllowedAddress(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _allow)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesBasic(string header, byte[] expected)
    {
        const string Scheme = "Basic ";
        if (header.Length > MaxHeaderLength || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = header.AsSpan(Scheme.Length).Trim();
        var rented = ArrayPool<byte>.Shared.Rent(encoded.Length);
        try
        {
            return Convert.TryFromBase64Chars(encoded, rented, out var written) && DigestEquals(rented.AsSpan(0, written), expected);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented);
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool MatchesSecret(string given, byte[] expected)
    {
        if (given.Length == 0 || given.Length > MaxHeaderLength)
        {
            return false;
        }

        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(given.Length));
        try
        {
            var written = Encoding.UTF8.GetBytes(given, rented);
            return DigestEquals(rented.AsSpan(0, written), expected);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented);
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool DigestEquals(ReadOnlySpan<byte> given, byte[] expectedDigest)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(given, digest);
        return CryptographicOperations.FixedTimeEquals(digest, expectedDigest);
    }
}
