using System.Net;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Burrow.Poller;

/// <summary>
/// GETs from Burrow's v3 API with a timeout per attempt and retries with doubling backoff for what may pass
/// (unreachable, timeout, 5xx, 429). A 404 is an answer, not a failure: Burrow's way of saying "no such cluster/group".
/// </summary>
internal sealed partial class BurrowApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly PollerSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public BurrowApiClient(PollerSettings settings, TimeProvider time, ILogger logger, HttpMessageHandler? handler = null)
    {
        _settings = settings;
        _time = time;
        _logger = logger;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = settings.Timeout,
            AutomaticDecompression = DecompressionMethods.All,
            MaxConnectionsPerServer = settings.Concurrency + 1,
        })
        {
            BaseAddress = settings.Url,

            // Each attempt has its own timeout (below), measured on the plugin's clock.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("gordon-burrow-poller/1");
    }

    public async Task<ApiAnswer> GetAsync(string relativePath, CancellationToken cancellationToken)
    {
        var attempts = _settings.Retries + 1;
        string? error = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
            {
                var backoff = TimeSpan.FromTicks(_settings.RetryBackoff.Ticks * (1L << Math.Min(attempt - 2, 16)));
                Log.Retrying(_logger, relativePath, attempt, attempts, backoff, error!);
                await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
            }

            using var timeout = new CancellationTokenSource(_settings.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                using var response = await _http.GetAsync(new Uri(relativePath, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, linked.Token)
                    .ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return new ApiAnswer(ApiStatus.NotFound);
                }

                if (response.IsSuccessStatusCode)
                {
                    return new ApiAnswer(ApiStatus.Ok, await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false));
                }

                error = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                error = $"no answer within {Gordon.Abstractions.Configuration.ConfigParsers.FormatDuration(_settings.Timeout)}";
            }
            catch (HttpRequestException e)
            {
                error = e.Message;
            }
        }

        return new ApiAnswer(ApiStatus.Failed, Error: error);
    }

    public void Dispose() => _http.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 6201, Level = LogLevel.Debug, Message = "GET {Path} failed ({Error}); attempt {Attempt} of {Attempts} in {Backoff}")]
        public static partial void Retrying(ILogger logger, string path, int attempt, int attempts, TimeSpan backoff, string error);
    }
}
