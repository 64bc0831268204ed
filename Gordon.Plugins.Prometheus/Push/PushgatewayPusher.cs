using System.Net.Http.Headers;
using System.Text;
using Gordon.Plugins.Prometheus.Diagnostics;
using Gordon.Plugins.Prometheus.Exposition;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Gordon.Plugins.Prometheus.Push;

/// <summary>
/// Push mode: every <c>push_interval</c> the whole exposition replaces (HTTP PUT) the group <c>job</c>/<c>instance</c> on a
/// Pushgateway, and once more when the plugin stops so the gateway holds the final state.
/// </summary>
/// <remarks>
/// Not prometheus-net's <c>MetricPusher</c>: it runs on the wall clock rather than the daemon's <see cref="TimeProvider"/>,
/// puts job and instance into the URL unescaped (a host name or job with <c>/</c> breaks the URL; here they travel in the
/// Pushgateway's base64 form), and reports failures only to a callback, where health needs the last outcome.
/// </remarks>
internal sealed partial class PushgatewayPusher : IAsyncDisposable
{
    private static readonly MediaTypeHeaderValue TextContentType = MediaTypeHeaderValue.Parse(PrometheusConstants.TextContentTypeWithVersionAndEncoding);

    private readonly ExpositionWriter _writer;
    private readonly TimeSpan _timeout;
    private HttpClient? _client;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly SelfMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private volatile string? _lastError;
    private bool _disposed;

    /// <summary>Creates the pusher; <see cref="Start"/> begins pushing.</summary>
    /// <param name="writer">Writes what is pushed.</param>
    /// <param name="gateway">The Pushgateway's base URL, e.g. <c>http://127.0.0.1:9091</c>.</param>
    /// <param name="job">The job label.</param>
    /// <param name="instance">The instance label; empty for none.</param>
    /// <param name="interval">How often to push.</param>
    /// <param name="time">The clock.</param>
    /// <param name="metrics">Counts pushes.</param>
    /// <param name="logger">Logs failed pushes.</param>
    public PushgatewayPusher(
        ExpositionWriter writer, Uri gateway, string job, string instance, TimeSpan interval, TimeProvider time, SelfMetrics metrics, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        _writer = writer;
        _interval = interval;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        Target = GroupUrl(gateway, job, instance);

        // A push slower than the interval would pile up behind the next one.
        _timeout = interval < TimeSpan.FromSeconds(25) ? interval + TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(30);
    }

    /// <summary>The group's URL on the gateway.</summary>
    public Uri Target { get; }

    /// <summary>Why the last push failed; null when it succeeded (or none was made yet).</summary>
    public string? LastError => _lastError;

    /// <summary>The Pushgateway URL of a group, with the label values base64url-encoded so any character is allowed.</summary>
    /// <param name="gateway">The gateway's base URL.</param>
    /// <param name="job">The job label.</param>
    /// <param name="instance">The instance label; empty for none.</param>
    /// <returns>The URL.</returns>
    public static Uri GroupUrl(Uri gateway, string job, string instance)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var url = new StringBuilder(gateway.AbsoluteUri.TrimEnd('/'));
        url.Append("/metrics/job@base64/").Append(Base64Url(job));
        if (instance.Length > 0)
        {
            url.Append("/instance@base64/").Append(Base64Url(instance));
        }

        return new Uri(url.ToString());
    }

    /// <summary>Starts the push loop.</summary>
    public void Start()
    {
        _client ??= new HttpClient { Timeout = _timeout };
        _loop = RunAsync(_stop.Token);
    }

    /// <summary>Stops the loop and pushes the final state.</summary>
    /// <param name="cancellationToken">Cancelled when the stop deadline passes.</param>
    /// <returns>A task that completes when the final push is done.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }

        await PushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pushes once; failures are logged, counted and kept for health, never thrown.</summary>
    /// <param name="cancellationToken">Cancels the push.</param>
    /// <returns>True when the gateway accepted the push.</returns>
    public async Task<bool> PushAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var body = new MemoryStream();
            await _writer.WriteAsync(body, ExpositionFormat.PrometheusText, cancellationToken).ConfigureAwait(false);
            using var content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
            content.Headers.ContentType = TextContentType;
            using var request = new HttpRequestMessage(HttpMethod.Put, Target) { Content = content };
            var client = _client ??= new HttpClient { Timeout = _timeout };
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                _lastError = null;
                _metrics.PushSucceeded?.Inc();
                return true;
            }

            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            Failed($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(detail)}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: not a failure of the gateway.
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or ScrapeFailedException)
        {
            Failed($"{ex.GetType().Name}: {ex.Message}");
        }

        return false;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }

        _client?.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await PushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private void Failed(string error)
    {
        _lastError = error;
        _metrics.PushFailed?.Inc();
        Log.PushFailed(_logger, Target, error);
    }

    private static string Base64Url(string value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Shorten(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "…";

    private static partial class Log
    {
        [LoggerMessage(EventId = 7111, Level = LogLevel.Warning, Message = "Push to the Pushgateway {Target} failed: {Error}")]
        public static partial void PushFailed(ILogger logger, Uri target, string error);
    }
}
