namespace Gordon.Plugins.Burrow.Poller;

/// <summary>How one GET to Burrow's API ended.</summary>
internal enum ApiStatus
{
    /// <summary>200 with a body.</summary>
    Ok,

    /// <summary>404: the cluster or group is unknown to Burrow (now).</summary>
    NotFound,

    /// <summary>Every attempt failed (unreachable, timeout, 5xx) or a 4xx other than 404.</summary>
    Failed,
}

/// <summary>One answer of Burrow's API.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Body">The body when <see cref="ApiStatus.Ok"/>.</param>
/// <param name="Error">What went wrong when <see cref="ApiStatus.Failed"/>.</param>
internal readonly record struct ApiAnswer(ApiStatus Status, byte[]? Body = null, string? Error = null);
