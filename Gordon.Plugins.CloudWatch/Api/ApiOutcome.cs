namespace Gordon.Plugins.CloudWatch.Api;

/// <summary>What one PutMetricData call came to, and so what the sender does next.</summary>
internal enum ApiOutcome
{
    /// <summary>2xx: the datums are in CloudWatch.</summary>
    Success,

    /// <summary>Throttling, 5xx, a network error or a timeout: try again after a backoff.</summary>
    Retryable,

    /// <summary>AWS said its credentials expired: fetch new ones and try again.</summary>
    ExpiredCredentials,

    /// <summary>A 4xx validation error: retrying cannot help; the request's datums are looked at one by one.</summary>
    Invalid,

    /// <summary>413: the request was too large; split it.</summary>
    TooLarge,

    /// <summary>Denied or badly signed: the data is fine, the credentials are not; keep the datums.</summary>
    AuthFailed,

    /// <summary>No credentials to sign with: no call was made; keep the datums.</summary>
    NoCredentials,
}

/// <summary>The result of one PutMetricData call.</summary>
/// <param name="Outcome">What it came to.</param>
/// <param name="Status">The metric tag: the HTTP status code as text, or <c>error</c> when no response came; null when no call was made.</param>
/// <param name="Code">AWS's error code, or the exception type.</param>
/// <param name="Message">AWS's message, or the exception's.</param>
internal readonly record struct ApiResult(ApiOutcome Outcome, string? Status, string? Code = null, string? Message = null);
