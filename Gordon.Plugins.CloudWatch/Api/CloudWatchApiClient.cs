using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Gordon.Plugins.CloudWatch.Credentials;

namespace Gordon.Plugins.CloudWatch.Api;

/// <summary>
/// Sends one PutMetricData request over <see cref="HttpClient"/>, signed with SigV4 for the service name
/// <c>monitoring</c> (an endpoint_url such as a VPC endpoint or 127.0.0.1 names no service, so the name is fixed),
/// and classifies the answer.
/// </summary>
internal sealed class CloudWatchApiClient
{
    /// <summary>The signing name of CloudWatch.</summary>
    public const string ServiceName = "monitoring";

    private const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "RequestLimitExceeded", "SlowDown", "RequestThrottled", "PriorRequestNotComplete", "RequestTimeout", "RequestTimeoutException",
        "ServiceUnavailable", "InternalFailure", "InternalError",
    };

    private static readonly HashSet<string> ExpiredCodes = new(StringComparer.Ordinal)
    {
        "ExpiredToken", "ExpiredTokenException", "RequestExpired",
    };

    private static readonly HashSet<string> AuthCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException",
        "IncompleteSignature", "MissingAuthenticationToken", "AuthFailure", "OptInRequired", "InvalidAccessKeyId", "NotAuthorized",
    };

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _region;
    private readonly ICredentialSource _credentials;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    public CloudWatchApiClient(HttpClient http, Uri endpoint, string region, ICredentialSource credentials, TimeProvider time, TimeSpan timeout)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        _region = region ?? throw new ArgumentNullException(nameof(region));
        _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _timeout = timeout;
    }

    public Uri Endpoint => _endpoint;

    public ICredentialSource Credentials => _credentials;

    /// <summary>Sends one request.</summary>
    /// <param name="batch">The request.</param>
    /// <param name="cancellationToken">Cancels the call (the result is then not known; the caller keeps the datums).</param>
    /// <returns>What happened.</returns>
    public async Task<ApiResult> PutMetricDataAsync(PutMetricDataBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Amazon.Runtime.ImmutableCredentials credentials;
        try
        {
            credentials = await _credentials.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialsUnavailableException ex)
        {
            return new ApiResult(ApiOutcome.NoCredentials, null, "NoCredentials", ex.Message);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(batch.Body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        var signed = AwsRequestSigner.Sign(
            "POST", _endpoint, new Dictionary<string, string> { ["Content-Type"] = ContentType }, batch.Body, credentials, _region, ServiceName, _time.GetUtcNow());
        foreach (var (name, value) in signed)
        {
            // HttpClient writes Host and Content-Type itself, with the values signed above.
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !name.Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return new ApiResult(ApiOutcome.Retryable, "error", ex.HttpRequestError.ToString(), ex.Message);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new ApiResult(ApiOutcome.Retryable, "error", "Timeout", $"no answer within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s: {ex.Message}");
        }

        using (response)
        {
            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            if (response.IsSuccessStatusCode)
            {
                return new ApiResult(ApiOutcome.Success, status);
            }

            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                body = string.Empty;
            }

            var error = AwsErrorResponse.Parse(body, response);
            return new ApiResult(Classify(response.StatusCode, error.Code), status, error.Code, error.Message);
        }
    }

    internal static ApiOutcome Classify(HttpStatusCode status, string code)
    {
        if (ExpiredCodes.Contains(code))
        {
            return ApiOutcome.ExpiredCredentials;
        }

        if (ThrottlingCodes.Contains(code) || status == HttpStatusCode.TooManyRequests || (int)status >= 500)
        {
            return ApiOutcome.Retryable;
        }

        if (status == HttpStatusCode.RequestEntityTooLarge)
        {
            return ApiOutcome.TooLarge;
        }

        if (AuthCodes.Contains(code) || status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return ApiOutcome.AuthFailed;
        }

        return ApiOutcome.Invalid;
    }
}
