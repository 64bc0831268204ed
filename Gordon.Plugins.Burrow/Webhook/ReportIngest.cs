using System.Diagnostics;
using System.Text.Json;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Metrics;
using Gordon.Plugins.Burrow.Parsing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Burrow.Webhook;

/// <summary>
/// <c>POST /burrow</c> and <c>DELETE /burrow</c>: check, read, parse, emit, answer. The reply is 200 only once the
/// message is in the pipeline; everything else gets its real code and a reason naming the field (or, with
/// <c>karrot_compatible_errors</c>, Karrot's 200 with <c>"status":"error"</c>).
/// </summary>
/// <remarks>
/// The hot path completes synchronously when the body has arrived and the first phase has room: no async state
/// machine is boxed, and the allocations are the body array, the event with its traits and partitions, and the id.
/// </remarks>
internal sealed partial class ReportIngest
{
    private readonly WebhookSettings _settings;
    private readonly IEventSink _sink;
    private readonly IDeliveryObserver _observer;
    private readonly IMetricRelay _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AuthGate _gate;
    private readonly Dictionary<string, TagList> _outcomes;
    private readonly NameCache _names = new();
    private readonly HashPool _hashes = new();
    private readonly EventRecipe _postRecipe;
    private readonly EventRecipe _deleteRecipe;

    public ReportIngest(
        string pluginName, WebhookSettings settings, IEventSink sink, IDeliveryObserver observer, IMetricRelay metrics, TimeProvider time, ILogger logger, AuthGate gate)
    {
        _postRecipe = new EventRecipe(pluginName, WebhookRecipe.Argument(isDelete: false, settings.DefaultCluster));
        _deleteRecipe = new EventRecipe(pluginName, WebhookRecipe.Argument(isDelete: true, settings.DefaultCluster));
        _settings = settings;
        _sink = sink;
        _observer = observer;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _gate = gate;
        _outcomes = new[]
        {
            WebhookMetricNames.Accepted, WebhookMetricNames.Malformed, WebhookMetricNames.UnsupportedMediaType, WebhookMetricNames.Invalid,
            WebhookMetricNames.TooLarge, WebhookMetricNames.Unavailable,
        }.ToDictionary(o => o, o => new TagList { { WebhookMetricNames.OutcomeTag, o } }, StringComparer.Ordinal);
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_gate.Refuse(context) is { } refusal)
        {
            await refusal.ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        var aborted = context.RequestAborted;
        if (!MediaTypes.IsJson(request.ContentType))
        {
            await RejectAsync(
                context,
                StatusCodes.Status415UnsupportedMediaType,
                WebhookMetricNames.UnsupportedMediaType,
                $"Content-Type must be application/json, got {(string.IsNullOrEmpty(request.ContentType) ? "none" : "'" + request.ContentType + "'")}").ConfigureAwait(false);
            return;
        }

        byte[]? body;
        try
        {
            body = await RequestBody.ReadAsync(request, _settings.MaxBody, aborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limits (a body over [core.http]'s size limit, a broken chunked encoding).
            await RejectAsync(context, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? WebhookMetricNames.TooLarge : WebhookMetricNames.Malformed, e.Message)
                .ConfigureAwait(false);
            return;
        }

        if (body is null)
        {
            await RejectAsync(
                context,
                StatusCodes.Status413PayloadTooLarge,
                WebhookMetricNames.TooLarge,
                FormattableString.Invariant($"the body is larger than max_body ({_settings.MaxBody} bytes)")).ConfigureAwait(false);
            return;
        }

        var isDelete = HttpMethods.IsDelete(request.Method);
        BurrowReport report;
        try
        {
            report = BurrowReportParser.Parse(body, isDelete, _settings.DefaultCluster, _names);
        }
        catch (JsonException e)
        {
            await RejectAsync(context, StatusCodes.Status400BadRequest, WebhookMetricNames.Malformed, "malformed JSON: " + e.Message).ConfigureAwait(false);
            return;
        }
        catch (BurrowBodyException e)
        {
            await RejectAsync(context, StatusCodes.Status422UnprocessableEntity, WebhookMetricNames.Invalid, e.Message).ConfigureAwait(false);
            return;
        }

        var messageId = MakeId(body, isDelete, _hashes);
        var @event = ConsumerStatusEventFactory.Create(
            report, messageId, _time.GetUtcNow(), body, ConsumerStatusEventFactory.WebhookSource, isDelete ? _deleteRecipe : _postRecipe);
        try
        {
            // The router's [core.router] enqueue_timeout bounds the wait for room; past it, this throws.
            await _sink.EmitAsync(@event, _observer, aborted).ConfigureAwait(false);
        }
        catch (PipelineUnavailableException e)
        {
            Log.Unavailable(_logger, messageId, e.Message);
            await RejectAsync(context, StatusCodes.Status503ServiceUnavailable, WebhookMetricNames.Unavailable, "the pipeline cannot take the report now: " + e.Message)
                .ConfigureAwait(false);
            return;
        }

        _metrics.Increment(WebhookMetricNames.Requests, 1, _outcomes[WebhookMetricNames.Accepted]);
        await WebhookResponses.WriteAcceptedAsync(context.Response, messageId, body, aborted).ConfigureAwait(false);
    }

    /// <summary>The event a request made, again from what the spool kept of it (see <see cref="WebhookRecipe"/>).</summary>
    /// <exception cref="FormatException">The recipe is not a webhook recipe.</exception>
    /// <exception cref="JsonException">The body is not JSON (it was when it was accepted).</exception>
    /// <exception cref="BurrowBodyException">The body is not a report (it was when it was accepted).</exception>
    public Event Rebuild(EventRecipe recipe, string messageId, DateTimeOffset generated, ReadOnlyMemory<byte> raw)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var (isDelete, defaultCluster) = WebhookRecipe.Parse(recipe.Argument);
        var report = BurrowReportParser.Parse(raw.Span, isDelete, defaultCluster, _names);
        return ConsumerStatusEventFactory.Create(report, messageId, generated, raw, ConsumerStatusEventFactory.WebhookSource, recipe);
    }

    private static string MakeId(byte[] body, bool isDelete, HashPool hashes)
    {
        Span<byte> utf8 = stackalloc byte[MessageIds.Length];
        return MessageIds.ForWebhook(body, isDelete, utf8, hashes);
    }

    private Task RejectAsync(HttpContext context, int statusCode, string outcome, string message)
    {
        _metrics.Increment(WebhookMetricNames.Requests, 1, _outcomes[outcome]);
        Log.Rejected(_logger, context.Request.Method, statusCode, message);
        return WebhookResponses.WriteErrorAsync(context.Response, statusCode, message, _settings.KarrotCompatibleErrors, _time, context.RequestAborted);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Rejected a {Method} /burrow with {StatusCode}: {Reason}")]
        public static partial void Rejected(ILogger logger, string method, int statusCode, string reason);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Report {MessageId} not accepted, the pipeline is unavailable: {Reason}")]
        public static partial void Unavailable(ILogger logger, string messageId, string reason);
    }
}
