using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;
using Gordon.Plugins.CloudWatch.Api;

namespace Gordon.Plugins.CloudWatch.Credentials;

/// <summary>
/// The two STS calls the plugin needs, over <see cref="HttpClient"/> in the Query protocol. AWSSDK.Core's own
/// assume-role and web-identity credentials load the AWSSDK.SecurityToken assembly at run time, and that package
/// needs a newer AWSSDK.Core than the one the package mirror serves, so these two calls are written here.
/// </summary>
internal sealed class StsClient
{
    private const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _region;
    private readonly TimeProvider _time;

    public StsClient(HttpClient http, Uri endpoint, string region, TimeProvider time)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        _region = region ?? throw new ArgumentNullException(nameof(region));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The regional STS endpoint of a region.</summary>
    public static Uri DefaultEndpoint(string region) => new($"https://sts.{region}.{AwsEndpoints.DnsSuffix(region)}/");

    /// <summary>sts:AssumeRole, signed with the caller's credentials.</summary>
    public Task<StsCredentials> AssumeRoleAsync(
        ImmutableCredentials caller, string roleArn, string sessionName, string? externalId, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var form = new List<(string, string)>
        {
            ("Action", "AssumeRole"),
            ("Version", "2011-06-15"),
            ("RoleArn", roleArn),
            ("RoleSessionName", sessionName),
            ("DurationSeconds", ((long)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
        };
        if (externalId is not null)
        {
            form.Add(("ExternalId", externalId));
        }

        return SendAsync(form, caller, "AssumeRoleResult", cancellationToken);
    }

    /// <summary>sts:AssumeRoleWithWebIdentity: unsigned, the token is the proof.</summary>
    public Task<StsCredentials> AssumeRoleWithWebIdentityAsync(
        string token, string roleArn, string sessionName, TimeSpan duration, CancellationToken cancellationToken)
    {
        var form = new List<(string, string)>
        {
            ("Action", "AssumeRoleWithWebIdentity"),
            ("Version", "2011-06-15"),
            ("RoleArn", roleArn),
            ("RoleSessionName", sessionName),
            ("WebIdentityToken", token),
            ("DurationSeconds", ((long)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
        };
        return SendAsync(form, null, "AssumeRoleWithWebIdentityResult", cancellationToken);
    }

    private async Task<StsCredentials> SendAsync(
        List<(string Name, string Value)> form, ImmutableCredentials? caller, string resultElement, CancellationToken cancellationToken)
    {
        var body = Encoding.ASCII.GetBytes(string.Join('&', form.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value))));
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        if (caller is not null)
        {
            var headers = AwsRequestSigner.Sign(
                "POST", _endpoint, new Dictionary<string, string> { ["Content-Type"] = ContentType }, body, caller, _region, "sts", _time.GetUtcNow());
            foreach (var (name, value) in headers)
            {
                if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !name.Equals("host", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new StsException($"STS at {_endpoint} could not be reached: {ex.Message}", ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var error = AwsErrorResponse.Parse(text, response);
                throw new StsException($"STS {form[0].Value} failed: HTTP {(int)response.StatusCode} {error.Code}: {error.Message}");
            }

            try
            {
                var xml = XDocument.Parse(text);
                var credentials = xml.Descendants().First(e => e.Name.LocalName == resultElement)
                    .Elements().First(e => e.Name.LocalName == "Credentials");
                string Value(string name) => credentials.Elements().First(e => e.Name.LocalName == name).Value;
                return new StsCredentials(
                    new ImmutableCredentials(Value("AccessKeyId"), Value("SecretAccessKey"), Value("SessionToken")),
                    DateTimeOffset.Parse(Value("Expiration"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
            }
            catch (Exception ex) when (ex is System.Xml.XmlException or InvalidOperationException or FormatException)
            {
                throw new StsException($"STS {form[0].Value} answered 200 with a body that is not a credentials response: {ex.Message}", ex);
            }
        }
    }
}
