using System.Net;

namespace Gordon.Plugins.Collectors.Http;

/// <summary>Which HTTP outcomes are worth another attempt.</summary>
internal static class HttpAttempt
{
    /// <summary>Server errors, timeouts and throttling may pass on a later try; other client errors will not.</summary>
    public static bool IsRetryable(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>A short excerpt of a response body for a log line.</summary>
    public static string Excerpt(string body) =>
        body.Length <= 200 ? body.ReplaceLineEndings(" ") : body[..200].ReplaceLineEndings(" ") + "…";
}
