using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gordon.Plugins.CloudWatch.Tests.Support;

/// <summary>
/// Checks an AWS Signature Version 4 the way AWS does, written from AWS's published description of SigV4 (canonical
/// request, string to sign, the HMAC-SHA256 key chain) and nothing of the product's code, so a signing bug in the
/// plugin cannot hide behind the same bug here. Its own tests hold it to AWS's published test-suite signatures.
/// </summary>
internal static class SigV4Verifier
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>A request as it arrived.</summary>
    /// <param name="Method">The HTTP method.</param>
    /// <param name="Path">The path as sent (percent-encoded form).</param>
    /// <param name="Query">The query string without '?', as sent.</param>
    /// <param name="Headers">Every header, with repeated names as separate entries.</param>
    /// <param name="Body">The body bytes.</param>
    public sealed record Request(string Method, string Path, string Query, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body);

    /// <summary>The verdict.</summary>
    /// <param name="Valid">Whether the signature is right.</param>
    /// <param name="Problem">Why not, in words; null when valid.</param>
    /// <param name="AccessKey">The access key the request claims.</param>
    /// <param name="Region">The scope's region.</param>
    /// <param name="Service">The scope's service.</param>
    /// <param name="SignedHeaders">The signed header names.</param>
    public sealed record Result(bool Valid, string? Problem, string? AccessKey, string? Region, string? Service, IReadOnlyList<string> SignedHeaders);

    /// <summary>Verifies a request's Authorization header.</summary>
    /// <param name="request">The request.</param>
    /// <param name="secretFor">The secret key of an access key, or null when the key is unknown.</param>
    /// <param name="region">The region the server is in.</param>
    /// <param name="service">The service's signing name.</param>
    /// <param name="now">The server's time, to refuse requests more than 15 minutes off (null: no check).</param>
    public static Result Verify(Request request, Func<string, string?> secretFor, string region, string service, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(secretFor);
        var authorization = Header(request, "authorization");
        if (authorization is null || !authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return Fail("no AWS4-HMAC-SHA256 Authorization header");
        }

        var fields = authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaderList)
            || !fields.TryGetValue("Signature", out var signature))
        {
            return Fail("Authorization lacks Credential, SignedHeaders or Signature");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return Fail($"malformed credential scope '{credential}'");
        }

        var (accessKey, date, scopeRegion, scopeService) = (scope[0], scope[1], scope[2], scope[3]);
        var signed = signedHeaderList.Split(';');
        if (scopeRegion != region || scopeService != service)
        {
            return new Result(false, $"scope is {scopeRegion}/{scopeService}, expected {region}/{service}", accessKey, scopeRegion, scopeService, signed);
        }

        var amzDate = Header(request, "x-amz-date");
        if (amzDate is null || !DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return Fail("no valid X-Amz-Date header");
        }

        if (!amzDate.StartsWith(date, StringComparison.Ordinal))
        {
            return Fail($"X-Amz-Date {amzDate} is not on the scope's date {date}");
        }

        if (now is { } serverNow && (signedAt - serverNow).Duration() > TimeSpan.FromMinutes(15))
        {
            return Fail($"request time {amzDate} is more than 15 minutes from the server's {serverNow:O}");
        }

        if (!signed.SequenceEqual(signed.Order(StringComparer.Ordinal)) || signed.Any(h => h != h.ToLowerInvariant()))
        {
            return Fail("SignedHeaders must be lower-case and sorted");
        }

        foreach (var required in new[] { "host", "x-amz-date" }.Concat(Header(request, "x-amz-security-token") is null ? [] : ["x-amz-security-token"]))
        {
            if (!signed.Contains(required))
            {
                return Fail($"header '{required}' is not signed");
            }
        }

        var secret = secretFor(accessKey);
        if (secret is null)
        {
            return new Result(false, $"unknown access key {accessKey}", accessKey, scopeRegion, scopeService, signed);
        }

        var payloadHash = Hex(SHA256.HashData(request.Body));
        if (Header(request, "x-amz-content-sha256") is { } claimed && claimed != payloadHash)
        {
            return new Result(false, "X-Amz-Content-SHA256 does not match the body", accessKey, scopeRegion, scopeService, signed);
        }

        var canonical = CanonicalRequest(request, signed, payloadHash);
        var stringToSign = StringToSign(amzDate, $"{date}/{scopeRegion}/{scopeService}/aws4_request", canonical);
        var expected = Hex(HMAC(SigningKey(secret, date, scopeRegion, scopeService), stringToSign));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? new Result(true, null, accessKey, scopeRegion, scopeService, signed)
            : new Result(false, "signature does not match", accessKey, scopeRegion, scopeService, signed);

        Result Fail(string problem) => new(false, problem, null, null, null, []);
    }

    /// <summary>The canonical request: method, path, query, headers, signed header names, payload hash, one a line.</summary>
    public static string CanonicalRequest(Request request, IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sb = new StringBuilder();
        sb.Append(request.Method).Append('\n');
        sb.Append(CanonicalPath(request.Path)).Append('\n');
        sb.Append(CanonicalQuery(request.Query)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = request.Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => Trimall(h.Value));
            sb.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }

        sb.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n').Append(payloadHash);
        return sb.ToString();
    }

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMAC(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = HMAC(key, region);
        key = HMAC(key, service);
        return HMAC(key, "aws4_request");
    }

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static byte[] HMAC(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string? Header(Request request, string name)
    {
        var values = request.Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(',', values);
    }

    // Each segment decoded, then encoded once by RFC 3986 (AWS's get-utf8 vector: "/ሴ" → "/%E1%88%B4").
    private static string CanonicalPath(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        return string.Join('/', path.Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));
    }

    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        return string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty))))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
    }

    // RFC 3986: unreserved characters as they are, every other byte as %XX in upper case.
    private static string Encode(string text)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static string Trimall(string value) => string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
