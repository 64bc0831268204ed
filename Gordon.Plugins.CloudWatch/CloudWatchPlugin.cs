using System.Buffers;
using Amazon.Runtime;
using Amazon.Util;
using Gordon.Abstractions.Events.ConsumerLag;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.CloudWatch.Api;
using Gordon.Plugins.CloudWatch.Configuration;
using Gordon.Plugins.CloudWatch.Credentials;
using Gordon.Plugins.CloudWatch.Datums;
using Gordon.Plugins.CloudWatch.Diagnostics;
using Gordon.Plugins.CloudWatch.Emf;
using Gordon.Plugins.CloudWatch.Sending;
using Gordon.Plugins.CloudWatch.Spool;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.CloudWatch;

/// <summary>
/// Publishes Burrow consumer-lag events to Amazon CloudWatch: batched PutMetricData calls signed with SigV4
/// (<c>mode = "api"</c>), or Embedded Metric Format lines for the CloudWatch agent (<c>mode = "emf"</c>).
/// Events of other types are counted and ignored.
/// </summary>
[GordonPlugin("cloudwatch", Phase = "publish", Description = "Publishes consumer lag to CloudWatch (PutMetricData with SigV4, or EMF lines)")]
public sealed partial class CloudWatchPlugin : IMessageHandler, IHealthReporter, IAsyncDisposable
{
    private readonly PluginContext _context;
    private readonly CloudWatchOptions _options;
    private readonly CloudWatchPluginSeams _seams;
    private readonly DatumMapper _mapper;
    private readonly PluginMetrics _metrics;
    private readonly HealthTracker _health;
    private readonly DatumBuffer _buffer;
    private HttpClient? _http;
    private ApiSender? _sender;
    private IEmfSink? _emf;
    private CredentialChain? _chain;
    private RefreshingStsSource? _role;
    private int _stopped;

    /// <summary>Reads the <c>[cloudwatch]</c> table; opens nothing (that happens in <see cref="StartAsync"/>).</summary>
    /// <param name="context">What the daemon hands every plugin.</param>
    public CloudWatchPlugin(PluginContext context)
        : this(context, new CloudWatchPluginSeams())
    {
    }

    internal CloudWatchPlugin(PluginContext context, CloudWatchPluginSeams seams)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _seams = seams ?? throw new ArgumentNullException(nameof(seams));
        _options = CloudWatchOptions.Read(context.Config, context.ConfigRoot);
        _mapper = new DatumMapper(_options);
        _metrics = new PluginMetrics(context.Metrics, context.Name);
        _health = new HealthTracker(_options.DegradedAfter);
        _buffer = new DatumBuffer(_options.MaxBuffered, _options.Overflow);
    }

    internal CloudWatchOptions Options => _options;

    internal int Buffered => _buffer.Count;

    /// <inheritdoc />
    public PluginHealth GetHealth() => _health.Current;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Mode == PublishMode.Emf)
        {
            _emf = _options.EmfOutput == "stdout"
                ? new StreamEmfSink(_seams.StandardOutput ?? Console.OpenStandardOutput(), "stdout")
                : new RotatingFileEmfSink(_options.EmfOutput, _options.EmfMaxFileSize, _options.EmfMaxFiles);
            Log.StartedEmf(_context.Logger, _emf.Description, _options.Namespace);
            await ResendUnsentAsEmfAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var region = _options.Region ?? DetectRegion();
        var store = new UnsentStore(UnsentStore.DirectoryFor(_context.StateDirectory, _context.Name), _context.TimeProvider);
        var unsent = LoadUnsent(store);
        if (region is null)
        {
            // Nothing can be signed without a region. Stay up (the events are still counted), say so in /health, and
            // keep whatever was buffered for the next start, once the operator has set one.
            _health.Broken("no AWS region: set [cloudwatch] region, or AWS_REGION / AWS_DEFAULT_REGION, or a region in the AWS profile");
            Log.NoRegion(_context.Logger);
            return;
        }

        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var endpoint = _options.EndpointUrl ?? AwsEndpoints.Monitoring(region);
        var stsEndpoint = _options.StsEndpointUrl ?? StsClient.DefaultEndpoint(region);
        var sts = new StsClient(_http, stsEndpoint, region, _context.TimeProvider);
        ICredentialSource credentials = _seams.Credentials ?? (_chain = new CredentialChain(_options.Profile, () => sts, _context.TimeProvider));
        if (_options.RoleArn is { } roleArn)
        {
            var caller = credentials;
            credentials = _role = new RefreshingStsSource(
                async ct => await sts.AssumeRoleAsync(
                    await caller.GetAsync(ct).ConfigureAwait(false), roleArn, _options.RoleSessionName, _options.RoleExternalId, _options.RoleDuration, ct).ConfigureAwait(false),
                $"role {roleArn}",
                _context.TimeProvider);
        }

        var client = new CloudWatchApiClient(_http, endpoint, region, credentials, _context.TimeProvider, _options.RequestTimeout);
        try
        {
            await credentials.GetAsync(cancellationToken).ConfigureAwait(false);
            Log.StartedApi(_context.Logger, endpoint, region, credentials.ResolvedFrom ?? "-", _options.Namespace, _options.FlushInterval);
        }
        catch (CredentialsUnavailableException ex)
        {
            // Never an exit (Karrot's sys.exit): the data is buffered and the look-up is repeated at every flush.
            _health.Broken(CredentialsUnavailableException.Describe(ex.Message));
            Log.NoCredentials(_context.Logger, CredentialsUnavailableException.Describe(ex.Message));
        }

        _sender = new ApiSender(client, _buffer, store, _options, _metrics, _health, _context.TimeProvider, _context.Logger, _seams.Sender);
        _sender.Start(unsent);
    }

    /// <inheritdoc />
    public async ValueTask HandleAsync(IEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var @event = message.Data;
        if (!string.Equals(@event.EventType, ConsumerStatusEvent.EventType, StringComparison.Ordinal))
        {
            _metrics.Ignored();
            Log.Ignored(_context.Logger, @event.EventType, message.MsgId);
            return;
        }

        var mapped = new List<MetricDatum>();
        var skipped = new List<string>();
        _mapper.Map(@event, mapped, skipped);
        foreach (var trait in skipped)
        {
            _metrics.Skipped(trait);
        }

        if (skipped.Count > 0)
        {
            Log.Skipped(_context.Logger, skipped.Count, message.MsgId, string.Join(", ", skipped.Distinct()));
        }

        var valid = Validate(mapped, message.MsgId);
        if (valid.Count == 0)
        {
            return;
        }

        if (_emf is not null)
        {
            await WriteEmfAsync(_options.Namespace, valid, cancellationToken).ConfigureAwait(false);
            return;
        }

        var dropped = _buffer.Add(valid);
        if (dropped < 0)
        {
            // overflow = "reject": the router retries this message and, if the buffer stays full, dead-letters it.
            throw new InvalidOperationException(
                $"the CloudWatch buffer is full ({_buffer.Capacity} datums, overflow = \"reject\"): CloudWatch is not keeping up");
        }

        if (dropped > 0)
        {
            _metrics.Dropped("overflow", dropped);
            Interlocked.Add(ref _seams.Sender.OverflowSinceLog, dropped);
        }

        var count = _buffer.Count;
        _metrics.SetBuffered(count);
        if (count >= _seams.Sender.MaxDatumsPerRequest)
        {
            _sender?.Wake();
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        if (_sender is not null)
        {
            await _sender.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (_emf is null && _buffer.Count > 0)
        {
            // No sender (no region): keep what was buffered for the next start rather than lose it.
            var store = new UnsentStore(UnsentStore.DirectoryFor(_context.StateDirectory, _context.Name), _context.TimeProvider);
            var rest = _buffer.Take(int.MaxValue);
            try
            {
                var path = store.Write(_options.Namespace, rest);
                _metrics.UnsentFile("written");
                Log.KeptWithoutRegion(_context.Logger, rest.Count, path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _metrics.Dropped("unsaved", rest.Count);
                Log.CouldNotKeep(_context.Logger, rest.Count, store.Directory, ex);
            }
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_sender is not null)
        {
            await _sender.DisposeAsync().ConfigureAwait(false);
            _sender = null;
        }

        if (_emf is not null)
        {
            await _emf.DisposeAsync().ConfigureAwait(false);
        }

        _chain?.Dispose();
        _chain = null;
        _role?.Dispose();
        _role = null;
        _http?.Dispose();
        _http = null;
    }

    private static string? DetectRegion()
    {
        // Environment, then the profile's region, then instance metadata unless AWS_EC2_METADATA_DISABLED says not to.
        try
        {
            return FallbackRegionFactory.GetRegionEndpoint(EC2InstanceMetadata.IsIMDSEnabled)?.SystemName;
        }
        catch (Exception ex) when (ex is AmazonClientException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    private List<MetricDatum> Validate(List<MetricDatum> datums, string messageId)
    {
        var now = _context.TimeProvider.GetUtcNow();
        var valid = new List<MetricDatum>(datums.Count);
        foreach (var datum in datums)
        {
            if (DatumValidator.Check(datum, now) is { } problem)
            {
                _metrics.Dropped(problem.Reason, 1);
                Log.Invalid(_context.Logger, messageId, problem.Detail);
            }
            else if (_emf is not null && EmfFormatter.Collides(datum))
            {
                _metrics.Dropped("invalid", 1);
                Log.Invalid(_context.Logger, messageId, $"metric name {datum.MetricName} collides with an EMF member name");
            }
            else
            {
                valid.Add(datum);
            }
        }

        return valid;
    }

    private async Task WriteEmfAsync(string @namespace, IReadOnlyList<MetricDatum> datums, CancellationToken cancellationToken)
    {
        var lines = new ArrayBufferWriter<byte>(512);
        EmfFormatter.Write(@namespace, datums, lines);
        try
        {
            await _emf!.WriteAsync(lines.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _metrics.Sent(datums.Count);
            if (_health.Current.State != PluginHealthState.Healthy)
            {
                _health.Succeeded();
            }
        }
        catch (IOException ex)
        {
            // Thrown on: the router retries the message and dead-letters it if the output stays broken.
            _health.Broken($"cannot write EMF to {_emf!.Description}: {ex.Message}");
            throw;
        }
    }

    private List<UnsentFile> LoadUnsent(UnsentStore store)
    {
        var corrupt = new List<(string Path, string Problem)>();
        List<UnsentFile> files;
        try
        {
            files = store.Load(corrupt);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.UnsentUnreadable(_context.Logger, store.Directory, ex);
            return [];
        }

        foreach (var (path, problem) in corrupt)
        {
            _metrics.UnsentFile("corrupt");
            Log.UnsentCorrupt(_context.Logger, path, problem);
        }

        var now = _context.TimeProvider.GetUtcNow();
        var result = new List<UnsentFile>(files.Count);
        foreach (var file in files)
        {
            var valid = new List<MetricDatum>(file.Datums.Count);
            foreach (var datum in file.Datums)
            {
                if (DatumValidator.Check(datum, now) is { } problem)
                {
                    _metrics.Dropped(problem.Reason, 1);
                    Log.Invalid(_context.Logger, Path.GetFileName(file.Path), problem.Detail);
                }
                else
                {
                    valid.Add(datum);
                }
            }

            Log.UnsentFound(_context.Logger, valid.Count, file.Path);
            result.Add(file with { Datums = valid });
        }

        return result;
    }

    private async Task ResendUnsentAsEmfAsync(CancellationToken cancellationToken)
    {
        // A previous run in api mode may have left datums: in emf mode they are written as EMF lines, then deleted.
        var store = new UnsentStore(UnsentStore.DirectoryFor(_context.StateDirectory, _context.Name), _context.TimeProvider);
        foreach (var file in LoadUnsent(store))
        {
            if (file.Datums.Count > 0)
            {
                await WriteEmfAsync(file.Namespace, file.Datums, cancellationToken).ConfigureAwait(false);
            }

            store.Rewrite(file, []);
            _metrics.UnsentFile("resent");
            Log.UnsentWrittenAsEmf(_context.Logger, file.Datums.Count, file.Path);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "CloudWatch publisher started: PutMetricData to {Endpoint} (region {Region}, credentials from {Credentials}), namespace {Namespace}, flush every {FlushInterval}")]
        public static partial void StartedApi(ILogger logger, Uri endpoint, string region, string credentials, string @namespace, TimeSpan flushInterval);

        [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "CloudWatch publisher started: EMF lines to {Output}, namespace {Namespace}")]
        public static partial void StartedEmf(ILogger logger, string output, string @namespace);

        [LoggerMessage(EventId = 8003, Level = LogLevel.Error, Message = "{Detail}. Datums are buffered and the look-up is repeated at every flush; /health reports the plugin unhealthy until then")]
        public static partial void NoCredentials(ILogger logger, string detail);

        [LoggerMessage(EventId = 8004, Level = LogLevel.Error, Message = "No AWS region: set [cloudwatch] region (or AWS_REGION). Nothing is sent; datums are kept for the next start")]
        public static partial void NoRegion(ILogger logger);

        [LoggerMessage(EventId = 8005, Level = LogLevel.Debug, Message = "Ignored {MessageId}: event type {EventType} is not burrow.consumer_status")]
        public static partial void Ignored(ILogger logger, string eventType, string messageId);

        [LoggerMessage(EventId = 8006, Level = LogLevel.Debug, Message = "{Count} datums of {MessageId} skipped: the event has no value for {Traits}")]
        public static partial void Skipped(ILogger logger, int count, string messageId, string traits);

        [LoggerMessage(EventId = 8007, Level = LogLevel.Warning, Message = "Dropped a datum of {MessageId}: {Detail}")]
        public static partial void Invalid(ILogger logger, string messageId, string detail);

        [LoggerMessage(EventId = 8008, Level = LogLevel.Error, Message = "Unsent-datums file {Path} cannot be read ({Problem}); moved aside, the plugin goes on without it")]
        public static partial void UnsentCorrupt(ILogger logger, string path, string problem);

        [LoggerMessage(EventId = 8009, Level = LogLevel.Information, Message = "Found {Count} datums a previous run could not send, in {Path}: sending them first")]
        public static partial void UnsentFound(ILogger logger, int count, string path);

        [LoggerMessage(EventId = 8010, Level = LogLevel.Error, Message = "Cannot read the unsent-datums folder {Directory}")]
        public static partial void UnsentUnreadable(ILogger logger, string directory, Exception exception);

        [LoggerMessage(EventId = 8011, Level = LogLevel.Warning, Message = "No region, so nothing was sent: {Count} datums kept in {Path} for the next start")]
        public static partial void KeptWithoutRegion(ILogger logger, int count, string path);

        [LoggerMessage(EventId = 8012, Level = LogLevel.Error, Message = "{Count} datums could not be kept in {Directory}: they are lost")]
        public static partial void CouldNotKeep(ILogger logger, int count, string directory, Exception exception);

        [LoggerMessage(EventId = 8013, Level = LogLevel.Information, Message = "Wrote {Count} datums a previous run kept in {Path} as EMF; file deleted")]
        public static partial void UnsentWrittenAsEmf(ILogger logger, int count, string path);
    }
}
