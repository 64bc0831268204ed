using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace HelloPlugin;

/// <summary>
/// A sample plugin: as a runnable it emits a <c>hello.greeting</c> event every <c>interval</c>; as a handler (phase
/// <c>publish</c> unless the <c>phase</c> key says otherwise) it logs every message it receives.
/// </summary>
[GordonPlugin("hello", Phase = "publish", Description = "Sample: emits hello.greeting every interval and logs what it handles")]
public sealed partial class HelloPlugin : IRunnable, IMessageHandler
{
    private readonly PluginContext _context;
    private readonly string _greeting;
    private readonly TimeSpan _interval;

    /// <summary>Reads the <c>[hello]</c> table: <c>greeting</c> and <c>interval</c>.</summary>
    /// <param name="context">What the daemon hands every plugin.</param>
    public HelloPlugin(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;

        // Bad values are recorded by the reader (with file, line and key) and reported by the daemon: no throwing here.
        _greeting = context.Config.GetString("greeting", "hello from Gordon");
        _interval = context.Config.GetDuration("interval", TimeSpan.FromSeconds(10), min: TimeSpan.FromMilliseconds(100));
    }

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // The context's clock, so tests with a fake TimeProvider control the ticks.
        using var timer = new PeriodicTimer(_interval, _context.TimeProvider);
        var sequence = 0L;
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = _context.TimeProvider.GetUtcNow();
            var @event = new Event
            {
                MessageId = $"hello-{now.ToUnixTimeMilliseconds()}-{++sequence}",
                EventType = "hello.greeting",
                Generated = now,
                Traits = [Trait.String("greeting", _greeting)],
            };
            try
            {
                await _context.Sink.EmitAsync(@event, cancellationToken).ConfigureAwait(false);
            }
            catch (PipelineUnavailableException ex)
            {
                // The pipeline is full or stopping: skip this greeting, the next tick brings another.
                Log.EmitFailed(_context.Logger, ex.Message);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask HandleAsync(IEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var greeting = message.Data.TryGetTrait("greeting", out var trait) ? trait.FormatValue() : null;
        Log.Received(_context.Logger, message.MsgId, message.Data.EventType, message.Phase, greeting ?? "-");
        return ValueTask.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Received {MessageId} ({EventType}) in phase {Phase}, greeting {Greeting}")]
        public static partial void Received(ILogger logger, string messageId, string eventType, string phase, string greeting);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Greeting not emitted: {Reason}")]
        public static partial void EmitFailed(ILogger logger, string reason);
    }
}
