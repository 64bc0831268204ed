using System.Globalization;
using System.Net.Http.Json;
using Gordon.Abstractions.Messaging;
using Gordon.Plugins.Collectors.Http;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Collectors.Grafolean;

/// <summary>
/// POSTs values to <c>{url}/accounts/{account}/values/?b={token}</c> as a JSON list of <c>{"p", "v"}</c>, with a timeout
/// on every attempt and capped exponential backoff between attempts (the original had neither). A 4xx other than
/// 408/429 is final (<see cref="PermanentFailureException"/>); the token never appears in a log or an error.
/// </summary>
internal sealed partial class GrafoleanSender(HttpClient client, GrafoleanSettings settings, TimeProvider time, ILogger logger)
{
    public async Task PostAsync(string account, IReadOnlyList<GrafoleanValue> values, CancellationToken cancellationToken)
    {
        var path = $"accounts/{Uri.EscapeDataString(account)}/values/";
        var url = new Uri(settings.Url!, path + "?b=" + Uri.EscapeDataString(settings.Token));
        var shown = settings.Url!.AbsolutePath + path + "?b=***";
        var backoff = new Backoff(settings.RetryBackoff, TimeSpan.FromMinutes(1));
        for (var attempt = 0; ; attempt++)
        {
            string error;
            using (var timeout = new CancellationTokenSource(settings.Timeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    using var response = await client.PostAsJsonAsync(url, values, linked.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }

                    var body = HttpAttempt.Excerpt(await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false));
                    error = string.Create(CultureInfo.InvariantCulture, $"POST {shown} answered {(int)response.StatusCode}: {body}");
                    if (!HttpAttempt.IsRetryable(response.StatusCode))
                    {
                        throw new PermanentFailureException(error);
                    }
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    error = string.Create(CultureInfo.InvariantCulture, $"POST {shown} gave no answer within {settings.Timeout.TotalSeconds} s");
                }
                catch (HttpRequestException e)
                {
                    error = $"POST {shown} failed: {e.Message.Replace(settings.Token, "***", StringComparison.Ordinal)}";
                }
            }

            if (attempt >= settings.Retries)
            {
                throw new HttpRequestException(attempt > 0 ? $"{error} (after {attempt + 1} attempts)" : error);
            }

            var delay = backoff.Delay(attempt);
            Log.Retrying(logger, error, delay.TotalSeconds);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 11301, Level = LogLevel.Warning, Message = "grafolean: {Error}; retrying in {Seconds} s")]
        public static partial void Retrying(ILogger logger, string error, double seconds);
    }
}
