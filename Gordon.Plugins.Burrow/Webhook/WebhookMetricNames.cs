namespace Gordon.Plugins.Burrow.Webhook;

/// <summary>The webhook's metric names and outcome labels.</summary>
internal static class WebhookMetricNames
{
    /// <summary>Requests to <c>/burrow</c>, by <c>outcome</c>.</summary>
    public const string Requests = "burrow-webhook-requests";

    /// <summary>Requests refused by the inbound checks, by <c>reason</c> (<c>address</c> or <c>credentials</c>).</summary>
    public const string AuthFailures = "burrow-webhook-auth-failures";

    public const string OutcomeTag = "outcome";

    public const string ReasonTag = "reason";

    public const string Accepted = "accepted";

    public const string Malformed = "malformed";

    public const string UnsupportedMediaType = "unsupported_media_type";

    public const string Invalid = "invalid";

    public const string TooLarge = "too_large";

    public const string Unavailable = "unavailable";

    public const string Unauthorized = "unauthorized";

    public const string Forbidden = "forbidden";
}
