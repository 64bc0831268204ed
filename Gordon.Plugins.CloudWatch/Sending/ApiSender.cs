using System.Threading.Channels;
using Gordon.Plugins.CloudWatch.Api;
using Gordon.Plugins.CloudWatch.Configuration;
using Gordon.Plugins.CloudWatch.Datums;
using Gordon.Plugins.CloudWatch.Diagnostics;
using Gordon.Plugins.CloudWatch.Spool;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.CloudWatch.Sending;

/// <summary>
/// Drains the buffer into PutMetricData calls on a background timer: every <c>flush_interval</c>, and at once when a full
/// request (1,000 datums) is waiting. Each request is retried with backoff on throttling, 5xx and network errors; a 4xx
/// validation error is never retried, and the request is split until the datum AWS rejects is alone (then dropped,
/// counted and logged with AWS's code and message), so one bad datum never blocks the rest. Datums that cannot be sent
/// now (retries spent, no credentials, access denied) go back to the front of the buffer for the next flush; on stop
/// what is left after <c>drain_timeout</c> is written to the <see cref="UnsentStore"/>, and files found there at start
/// are sent before anything else.
/// </summary>
internal sealed partial class ApiSender : IAsyncDisposable
{
    private readonly CloudWatchApiClient _client;
    private readonly DatumBuffer _buffer;
    private readonly UnsentStore _store;
    private readonly CloudWatchOptions _options;
    private readonly PluginMetrics _metrics;
    private readonly HealthTracker _health;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SenderSeams _seams;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private List<UnsentFile> _unsent = [];
    private PeriodicTimer? _timer;
    private Task? _loop;
    private string? _lastProblem;
    private int _disposed;

    public ApiSender(
        CloudWatchApiClient client,
        DatumBuffer buffer,
        UnsentStore store,
        CloudWatchOptions options,
        PluginMetrics metrics,
        HealthTracker health,
        TimeProvider time,
        ILogger logger,
        SenderSeams? seams = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _buffer = buffer ?? throw new ArgumentNullException(nameof(buffer));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _health = health ?? throw new ArgumentNullException(nameof(health));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _seams = seams ?? new SenderSeams();
    }

    /// <summary>Starts the flush loop. The timer is made here, before returning, so a test's fake clock sees it.</summary>
    /// <param name="unsent">Files a previous run left; they are sent first, then deleted.</param>
    public void Start(List<UnsentFile> unsent)
    {
        _unsent = unsent ?? throw new ArgumentNullException(nameof(unsent));
        _timer = new PeriodicTimer(_options.FlushInterval, _time);
        if (_unsent.Count > 0)
        {
            Wake();
        }

        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Asks for a flush now (a full request is waiting).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Stops the loop, sends what it can within <c>drain_timeout</c> and keeps the rest in the store.</summary>
    /// <param name="cancellationToken">The host's stop deadline; it ends the drain early.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        using var deadline = new CancellationTokenSource(_options.DrainTimeout, _time);
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await FlushAsync(drain.Token, untilEmpty: true).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            // The drain time is up: what is left goes to the store below.
        }

        var rest = _buffer.Take(int.MaxValue);
        _metrics.SetBuffered(0);
        if (rest.Count == 0)
        {
            return;
        }

        try
        {
            var path = _store.Write(_options.Namespace, rest);
            _metrics.UnsentFile("written");
            Log.KeptForNextStart(_logger, rest.Count, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _metrics.Dropped("unsaved", rest.Count);
            Log.CouldNotKeep(_logger, rest.Count, _store.Directory, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _timer?.Dispose();
        _stopping.Dispose();
        _flushGate.Dispose();
    }

    /// <summary>Sends the unsent files, then the buffer as it is now (or until it is empty, when draining).</summary>
    internal async Task FlushAsync(CancellationToken cancellationToken, bool untilEmpty = false)
    {
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var overflow = Interlocked.Exchange(ref _seams.OverflowSinceLog, 0);
            if (overflow > 0)
            {
                Log.Overflowed(_logger, overflow, _buffer.Capacity, _options.Overflow);
            }

            if (!await SendUnsentAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            // Bounded by what was buffered when the flush began, so a steady stream of events cannot keep one flush going.
            var budget = untilEmpty ? int.MaxValue : _buffer.Count;
            while (budget > 0)
            {
                var taken = _buffer.Take(Math.Min(budget, _seams.MaxDatumsPerRequest));
                if (taken.Count == 0)
                {
                    break;
                }

                budget -= taken.Count;
                var kept = await SendDatumsAsync(_options.Namespace, taken, cancellationToken).ConfigureAwait(false);
                if (kept.Count > 0)
                {
                    _metrics.Dropped("overflow", _buffer.ReturnToFront(kept));
                    break;
                }
            }
        }
        finally
        {
            _metrics.SetBuffered(_buffer.Count);
            _flushGate.Release();
            _seams.FlushCompleted?.Invoke();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        Task<bool>? tick = null;
        Task<bool>? wake = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                tick ??= _timer!.WaitForNextTickAsync(cancellationToken).AsTask();
                wake ??= _wake.Reader.WaitToReadAsync(cancellationToken).AsTask();
                var done = await Task.WhenAny(tick, wake).ConfigureAwait(false);
                if (done == tick)
                {
                    if (!await tick.ConfigureAwait(false))
                    {
                        break;
                    }

                    tick = null;
                }
                else
                {
                    await wake.ConfigureAwait(false);
                    _wake.Reader.TryRead(out _);
                    wake = null;
                }

                try
                {
                    await FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A flush that fails unexpectedly must not end the loop: the next tick tries again.
                    Log.FlushFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: StopAsync drains.
        }
    }

    // Returns false when a file could not be sent, so newer data waits behind it (it would meet the same failure).
    private async Task<bool> SendUnsentAsync(CancellationToken cancellationToken)
    {
        while (_unsent.Count > 0)
        {
            var file = _unsent[0];
            var kept = await SendDatumsAsync(file.Namespace, file.Datums, cancellationToken).ConfigureAwait(false);
            try
            {
                _store.Rewrite(file, kept);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.RewriteFailed(_logger, file.Path, ex);
            }

            if (kept.Count > 0)
            {
                _unsent[0] = file with { Datums = kept };
                return false;
            }

            _unsent.RemoveAt(0);
            _metrics.UnsentFile("resent");
            Log.Resent(_logger, file.Datums.Count, file.Path);
        }

        return true;
    }

    /// <summary>Sends datums in as many requests as the limits need.</summary>
    /// <returns>The datums not sent and not dropped, to keep for later (empty when all were handled).</returns>
    private async Task<List<MetricDatum>> SendDatumsAsync(string @namespace, IReadOnlyList<MetricDatum> datums, CancellationToken cancellationToken)
    {
        var tooLarge = new List<MetricDatum>();
        var batches = PutMetricDataEncoder.Split(@namespace, datums, tooLarge, _seams.MaxDatumsPerRequest, _seams.MaxBodyBytes);
        foreach (var datum in tooLarge)
        {
            _metrics.Dropped("too_large", 1);
            Log.DatumTooLarge(_logger, datum.MetricName);
        }

        for (var i = 0; i < batches.Count; i++)
        {
            var kept = await SendBatchAsync(@namespace, batches[i], cancellationToken).ConfigureAwait(false);
            if (kept.Count > 0)
            {
                for (var j = i + 1; j < batches.Count; j++)
                {
                    kept.AddRange(batches[j].Datums);
                }

                return kept;
            }
        }

        return [];
    }

    private async Task<List<MetricDatum>> SendBatchAsync(string @namespace, PutMetricDataBatch batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            ApiResult result;
            try
            {
                result = await _client.PutMetricDataAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The answer is unknown; keeping the datums may send them twice, which beats losing them.
                return [.. batch.Datums];
            }

            if (result.Status is { } status)
            {
                _metrics.ApiCall(status);
            }

            switch (result.Outcome)
            {
                case ApiOutcome.Success:
                    _metrics.Sent(batch.Datums.Count);
                    _health.Succeeded();
                    if (_lastProblem is not null)
                    {
                        Log.Recovered(_logger, _client.Endpoint);
                        _lastProblem = null;
                    }

                    return [];

                case ApiOutcome.Invalid or ApiOutcome.TooLarge:
                    Log.Rejected(_logger, result.Status!, result.Code!, result.Message!, batch.Datums.Count);
                    if (batch.Datums.Count == 1)
                    {
                        _metrics.Dropped(result.Outcome == ApiOutcome.TooLarge ? "too_large" : "rejected", 1);
                        Log.DatumRejected(_logger, Describe(batch.Datums[0]), result.Code!, result.Message!);
                        return [];
                    }

                    // Halve until the datum AWS objects to is alone: the others still get through.
                    var half = batch.Datums.Count / 2;
                    var first = await SendDatumsAsync(@namespace, batch.Datums.Take(half).ToList(), cancellationToken).ConfigureAwait(false);
                    if (first.Count > 0)
                    {
                        first.AddRange(batch.Datums.Skip(half));
                        return first;
                    }

                    return await SendDatumsAsync(@namespace, batch.Datums.Skip(half).ToList(), cancellationToken).ConfigureAwait(false);

                case ApiOutcome.NoCredentials:
                    Problem(Credentials.CredentialsUnavailableException.Describe(result.Message ?? string.Empty), unhealthy: true);
                    return [.. batch.Datums];

                case ApiOutcome.AuthFailed:
                    Problem($"CloudWatch refused the credentials from {_client.Credentials.ResolvedFrom ?? "the chain"}: HTTP {result.Status} {result.Code}: {result.Message}", unhealthy: true);
                    return [.. batch.Datums];

                case ApiOutcome.ExpiredCredentials:
                    _client.Credentials.Invalidate();
                    break;

                default:
                    _health.Failed($"HTTP {result.Status} {result.Code}: {result.Message}");
                    break;
            }

            if (attempt >= _options.MaxAttempts)
            {
                Problem($"PutMetricData failed {attempt} times, last with {result.Status} {result.Code}: {result.Message}; {batch.Datums.Count} datums kept for the next flush", unhealthy: false);
                return [.. batch.Datums];
            }

            _metrics.Retried(batch.Datums.Count);
            Log.Retrying(_logger, result.Status ?? "-", result.Code ?? "-", result.Message ?? "-", attempt, _options.MaxAttempts);
            if (result.Outcome == ApiOutcome.ExpiredCredentials)
            {
                continue;
            }

            var delay = Backoff.Delay(attempt, _options.BackoffInitial, _options.BackoffMax, _seams.Random());
            try
            {
                var wait = Task.Delay(delay, _time, cancellationToken);
                _seams.BackoffStarted?.Invoke(delay);
                await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return [.. batch.Datums];
            }
        }
    }

    // Logs a problem once, not on every flush while it lasts.
    private void Problem(string detail, bool unhealthy)
    {
        if (unhealthy)
        {
            _health.Broken(detail);
        }

        if (!string.Equals(_lastProblem, detail, StringComparison.Ordinal))
        {
            _lastProblem = detail;
            Log.SendProblem(_logger, detail);
        }
    }

    private static string Describe(MetricDatum datum) =>
        datum.MetricName + (datum.Dimensions.Count == 0 ? string.Empty : "{" + string.Join(",", datum.Dimensions.Select(d => d.Name + "=" + d.Value)) + "}");

    private static partial class Log
    {
        [LoggerMessage(EventId = 8101, Level = LogLevel.Warning, Message = "CloudWatch rejected a request of {Count} datums: HTTP {Status} {Code}: {ErrorMessage} (not retried; the datums are checked one by one)")]
        public static partial void Rejected(ILogger logger, string status, string code, string errorMessage, int count);

        [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "Dropped datum {Datum}: CloudWatch said {Code}: {ErrorMessage}")]
        public static partial void DatumRejected(ILogger logger, string datum, string code, string errorMessage);

        [LoggerMessage(EventId = 8103, Level = LogLevel.Information, Message = "PutMetricData failed with {Status} {Code}: {ErrorMessage}; retry {Attempt} of {MaxAttempts} after a backoff")]
        public static partial void Retrying(ILogger logger, string status, string code, string errorMessage, int attempt, int maxAttempts);

        [LoggerMessage(EventId = 8104, Level = LogLevel.Error, Message = "CloudWatch: {Detail}")]
        public static partial void SendProblem(ILogger logger, string detail);

        [LoggerMessage(EventId = 8105, Level = LogLevel.Information, Message = "CloudWatch at {Endpoint} accepts data again")]
        public static partial void Recovered(ILogger logger, Uri endpoint);

        [LoggerMessage(EventId = 8106, Level = LogLevel.Warning, Message = "{Count} datums could not be sent before shutdown; kept in {Path} and sent at the next start")]
        public static partial void KeptForNextStart(ILogger logger, int count, string path);

        [LoggerMessage(EventId = 8107, Level = LogLevel.Error, Message = "{Count} datums could not be sent before shutdown, and could not be kept in {Directory}: they are lost")]
        public static partial void CouldNotKeep(ILogger logger, int count, string directory, Exception exception);

        [LoggerMessage(EventId = 8108, Level = LogLevel.Information, Message = "Sent {Count} datums kept by a previous run from {Path}; file deleted")]
        public static partial void Resent(ILogger logger, int count, string path);

        [LoggerMessage(EventId = 8109, Level = LogLevel.Error, Message = "Could not update the unsent-datums file {Path}; its datums may be sent again at the next start")]
        public static partial void RewriteFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 8110, Level = LogLevel.Warning, Message = "Dropped datum {MetricName}: alone it is larger than a PutMetricData request may be")]
        public static partial void DatumTooLarge(ILogger logger, string metricName);

        [LoggerMessage(EventId = 8112, Level = LogLevel.Error, Message = "A CloudWatch flush failed; the next one tries again")]
        public static partial void FlushFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 8111, Level = LogLevel.Warning, Message = "The buffer was full ({Capacity} datums): {Count} datums dropped since the last flush (overflow = {Policy})")]
        public static partial void Overflowed(ILogger logger, int count, int capacity, OverflowPolicy policy);
    }
}
