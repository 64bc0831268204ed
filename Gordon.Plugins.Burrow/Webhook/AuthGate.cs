using System.Diagnostics;
using Gordon.Abstractions.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Burrow.Webhook;

/// <summary>Runs the inbound checks on a request, and answers, counts and logs a refusal.</summary>
internal sealed partial class AuthGate
{
    private readonly InboundAuth _auth;
    private readonly IMetricRelay _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TagList _addressTags;
    private readonly TagList _credentialTags;

    public AuthGate(InboundAuth auth, IMetricRelay metrics, ILogger logger, TimeProvider time)
    {
        _auth = auth;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _addressTags = new TagList { { WebhookMetricNames.ReasonTag, "address" } };
        _credentialTags = new TagList { { WebhookMetricNames.ReasonTag, "credentials" } };
    }

    /// <summary>
    /// Checks the request. Auth failures keep their real codes (401/403) even in Karrot-compatible mode: answering
    /// 200 would hide a wrong password from Burrow's log, and Karrot had no auth to be compatible with.
    /// </summary>
    /// <returns>Null when the request may proceed; otherwise the task that writes the refusal.</returns>
    public Task? Refuse(HttpContext context)
    {
        if (!_auth.IsEnabled)
        {
            return null;
        }

        var outcome = _auth.Check(context);
        if (outcome == AuthOutcome.Allowed)
        {
            return null;
        }

        var forbidden = outcome == AuthOutcome.Forbidden;
        _metrics.Increment(WebhookMetricNames.AuthFailures, 1, forbidden ? _addressTags : _credentialTags);
        var peer = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        Log.Refused(_logger, context.Request.Path, peer, forbidden ? "address not in allow_cidrs" : "missing or wrong credentials");
        if (!forbidden && _auth.UsesBasic)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"gordon\", charset=\"UTF-8\"";
        }

        return WebhookResponses.WriteErrorAsync(
            context.Response,
            forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized,
            forbidden ? "the client address is not allowed" : "missing or wrong credentials",
            karrotCompatible: false,
            _time,
            context.RequestAborted);
    }

    private static partial class Log
    {
        // Debug: a scanner hammering the port must not flood the journal; the counter shows the volume.
        [LoggerMessage(EventId = 6103, Level = LogLevel.Debug, Message = "Refused {Path} from {Peer}: {Reason}")]
        public static partial void Refused(ILogger logger, PathString path, string peer, string reason);
    }
}
