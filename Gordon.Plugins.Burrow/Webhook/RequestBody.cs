using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Gordon.Plugins.Burrow.Webhook;

/// <summary>Reads a request body up to a limit into one exact-size array (the event keeps it as <c>Raw</c>).</summary>
internal static class RequestBody
{
    /// <summary>Reads the whole body.</summary>
    /// <param name="request">The request.</param>
    /// <param name="maxBytes">The most bytes accepted.</param>
    /// <param name="cancellationToken">The request's abort token.</param>
    /// <returns>The body, or null when it is longer than <paramref name="maxBytes"/> (the rest is left unread).</returns>
    public static async ValueTask<byte[]?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        // Kestrel buffers the body in its own pooled segments: look at it there and copy once, at the end.
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.End);
                return null;
            }

            if (result.IsCompleted || (request.ContentLength is { } length && buffer.Length == length))
            {
                var body = buffer.Length == 0 ? [] : buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException("Reading the request body was cancelled.");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
