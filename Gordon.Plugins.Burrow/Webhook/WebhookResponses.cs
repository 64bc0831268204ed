using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gordon.Plugins.Burrow.Webhook;

/// <summary>The webhook's JSON replies, written straight into the response pipe.</summary>
internal static class WebhookResponses
{
    private const string JsonContentType = "application/json";

    private static ReadOnlySpan<byte> AcceptedPrefix => "{\"status\":\"success\",\"message_id\":\""u8;

    private static ReadOnlySpan<byte> AcceptedMiddle => "\",\"event\":"u8;

    /// <summary>
    /// 200 <c>{"status":"success","message_id":"…","event":&lt;the body&gt;}</c>. The body was fully validated as
    /// JSON by the parser, so it is echoed byte for byte instead of being serialised again.
    /// </summary>
    public static ValueTask<FlushResult> WriteAcceptedAsync(HttpResponse response, string messageId, ReadOnlySpan<byte> body, CancellationToken cancellationToken)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            body = body[3..];
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.ContentLength = AcceptedPrefix.Length + messageId.Length + AcceptedMiddle.Length + body.Length + 1;
        var writer = response.BodyWriter;
        writer.Write(AcceptedPrefix);
        var written = Encoding.ASCII.GetBytes(messageId, writer.GetSpan(messageId.Length));
        writer.Advance(written);
        writer.Write(AcceptedMiddle);
        writer.Write(body);
        writer.Write("}"u8);
        return writer.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// An error: <c>{"status":"error","msg":"…"}</c> with <paramref name="statusCode"/>, or, in Karrot's prod mode,
    /// with status 200 and Karrot's <c>time</c> field.
    /// </summary>
    public static async Task WriteErrorAsync(
        HttpResponse response, int statusCode, string message, bool karrotCompatible, TimeProvider time, CancellationToken cancellationToken)
    {
        response.StatusCode = karrotCompatible ? StatusCodes.Status200OK : statusCode;
        response.ContentType = JsonContentType;
        await using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("status", "error");
        writer.WriteString("msg", message);
        if (karrotCompatible)
        {
            writer.WriteString("time", KarrotTime(time));
        }

        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Karrot's time text: Python's <c>str(datetime.now())</c>, local time with microseconds.</summary>
    public static string KarrotTime(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.GetLocalNow().ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
    }
}
