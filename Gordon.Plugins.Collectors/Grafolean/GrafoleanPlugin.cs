using System.Text;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Collectors.Interval;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Collectors.Grafolean;

/// <summary>
/// <c>grafolean</c> (publish phase): sends the numeric traits of collector events to a Grafolean backend as
/// <c>[{"p": path, "v": value}]</c>, batched per account. The path is <c>&lt;path_prefix&gt;[.&lt;series&gt;].&lt;trait&gt;</c>,
/// where the prefix is the event's <c>path_prefix</c> trait, else <c>collector.&lt;job&gt;</c>; the account is the
/// event's <c>account</c> trait, else <c>account</c> from config. An event with no numeric values sends nothing.
/// </summary>
[GordonPlugin("grafolean", Phase = "publish", Description = "Sends collector values to a Grafolean backend, batched per account")]
public sealed partial class GrafoleanPlugin : IMessageHandler, IHealthReporter, IDisposable
{
    private static readonly HashSet<string> Meta = new(JobScheduler.MetaTraits.Append("series"), StringComparer.Ordinal);

    private readonly PluginContext _context;
    private readonly GrafoleanSettings _settings;
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ValueBatcher _batcher;
    private volatile string? _lastFailure;

    /// <summary>Reads <c>[grafolean]</c>.</summary>
    /// <param name="context">What the daemon hands every plugin.</param>
    public GrafoleanPlugin(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _settings = GrafoleanSettings.Read(context);
        _client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var sender = new GrafoleanSender(_client, _settings, context.TimeProvider, context.Logger);
        _batcher = new ValueBatcher(sender.PostAsync, _settings.MaxBatch, _stopping.Token);
    }

    /// <inheritdoc />
    public async ValueTask HandleAsync(IEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var @event = message.Data;
        if (!_settings.EventTypes.Any(prefix => @event.EventType.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return;
        }

        var values = Values(@event);
        if (values.Count == 0)
        {
            Log.NoValues(_context.Logger, message.MsgId);
            return;
        }

        var account = Text(@event, "account") ?? _settings.DefaultAccount
            ?? throw new PermanentFailureException($"event {message.MsgId} has no 'account' trait and [grafolean] has no account: nowhere to send its values");
        try
        {
            await _batcher.SendAsync(account, values, cancellationToken).ConfigureAwait(false);
            _lastFailure = null;
            _context.Metrics.Increment("grafolean-values-sent", values.Count, default);
        }
        catch (Exception e) when (e is HttpRequestException or PermanentFailureException)
        {
            _lastFailure = e.Message;
            throw;
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _stopping.CancelAsync();

    /// <inheritdoc />
    public PluginHealth GetHealth() =>
        _lastFailure is { } failure ? PluginHealth.Degraded("the last send failed: " + failure) : PluginHealth.Healthy;

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _client.Dispose();
    }

    /// <summary>The values of an event, in trait order: every integer and finite float that is not a meta trait.</summary>
    internal static List<GrafoleanValue> Values(Event @event)
    {
        var prefix = Text(@event, "path_prefix") ?? (Text(@event, "job") is { } job ? "collector." + job : @event.EventType);
        if (Text(@event, "series") is { } series)
        {
            prefix += "." + series;
        }

        prefix = Sanitize(prefix);
        var values = new List<GrafoleanValue>();
        foreach (var trait in @event.Traits)
        {
            double? value = trait.Type switch
            {
                TraitType.Integer => trait.IntegerValue,
                TraitType.Float when double.IsFinite(trait.FloatValue) => trait.FloatValue,
                _ => null,
            };
            if (value is { } v && !Meta.Contains(trait.Name))
            {
                values.Add(new GrafoleanValue(prefix + "." + Sanitize(trait.Name), v));
            }
        }

        return values;
    }

    private static string? Text(Event @event, string name) =>
        @event.TryGetTrait(name, out var trait) && trait.Type is TraitType.String or TraitType.Integer ? trait.FormatValue() : null;

    // Grafolean paths are dot-separated words of letters, digits, '_' and '-'.
    private static string Sanitize(string path)
    {
        var builder = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_');
        }

        return builder.ToString().Trim('.');
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 11310, Level = LogLevel.Debug, Message = "grafolean: no results available in {MessageId}, nothing sent")]
        public static partial void NoValues(ILogger logger, string messageId);
    }
}
