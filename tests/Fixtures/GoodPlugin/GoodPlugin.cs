using System.Collections.Concurrent;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Fixtures.Helper;

namespace Gordon.Fixtures.GoodPlugin;

/// <summary>A well-formed runnable and handler; reads two config keys so tests can provoke config problems.</summary>
[GordonPlugin("good", Phase = "enrich", Description = "Fixture: runnable and handler")]
public sealed class GoodPlugin : IRunnable, IMessageHandler
{
    private readonly PluginContext _context;
    private readonly ConcurrentQueue<string> _handled = new();

    public GoodPlugin(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        Greeting = context.Config.GetString("greeting", Greetings.Default());
        Count = context.Config.GetInt32("count", 1, min: 1);
    }

    public string Greeting { get; }

    public int Count { get; }

    public IReadOnlyCollection<string> Handled => _handled;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Count; i++)
        {
            await _context.Sink.EmitAsync(
                new Event
                {
                    MessageId = $"good-{i}",
                    EventType = "good.ping",
                    Generated = _context.TimeProvider.GetUtcNow(),
                    Traits = [Trait.String("greeting", Greeting)],
                },
                cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask HandleAsync(IEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        _handled.Enqueue(message.MsgId);
        return ValueTask.CompletedTask;
    }
}
