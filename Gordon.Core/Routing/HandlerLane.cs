using System.Threading.Channels;

namespace Gordon.Core.Routing;

/// <summary>
/// One handler's own queue in a phase that fans out to several handlers in parallel. A handler that is slow or
/// retrying (a store whose server is down) holds back only its lane: the other handlers of the phase keep taking
/// messages until that lane is full, and only then does the phase push back on its producers.
/// </summary>
internal sealed class HandlerLane
{
    /// <summary>Creates a lane.</summary>
    /// <param name="handler">The handler the lane feeds.</param>
    /// <param name="capacity">How many messages may wait for the handler.</param>
    /// <param name="workers">How many messages the handler is given at once (the phase's concurrency).</param>
    public HandlerLane(PhaseHandler handler, int capacity, int workers)
    {
        Handler = handler;
        Workers = workers;
        Channel = System.Threading.Channels.Channel.CreateBounded<EventMessage>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = workers == 1,
            SingleWriter = false,
        });
    }

    /// <summary>How many messages the handler is given at once.</summary>
    public int Workers { get; }

    /// <summary>The handler.</summary>
    public PhaseHandler Handler { get; }

    /// <summary>The messages waiting for the handler.</summary>
    public Channel<EventMessage> Channel { get; }
}
