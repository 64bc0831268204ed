namespace Gordon.Plugins.Burrow.Webhook;

/// <summary>What the inbound checks decided.</summary>
internal enum AuthOutcome
{
    /// <summary>Every configured check passed (or none is configured).</summary>
    Allowed,

    /// <summary>The peer address is outside <c>allow_cidrs</c>: 403.</summary>
    Forbidden,

    /// <summary>Missing or wrong credentials: 401.</summary>
    Unauthorized,
}
