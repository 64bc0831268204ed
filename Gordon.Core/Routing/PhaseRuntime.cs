using System.Diagnostics;
using System.Threading.Channels;

namespace Gordon.Core.Routing;

/// <summary>One phase as the router runs it: its bounded channel, its handlers and where messages go next.</summary>
internal sealed class PhaseRuntime
{
    /// <summary>Creates a phase.</summary>
    /// <param name="name">The phase name.</param>
    /// <param name="nextName">The next phase, or <c>done</c>.</param>
    /// <param name="handlers">The handlers, in configured order.</param>
    /// <param name="capacity">The channel capacity.</param>
    /// <param name="workers">The worker count.</param>
    /// <param name="fanout">How the handlers share a message.</param>
    /// <param name="handlerWorkers">A handler's own concurrency when configured, else null.</param>
    public PhaseRuntime(string name, string nextName, PhaseHandler[] handlers, int capacity, int workers, FanoutMode fanout, Func<string, int?> handlerWorkers)
    {
        Name = name;
        NextName = nextName;
        Handlers = handlers;
        Workers = workers;

        // Lanes when handlers share the phase or one has its own concurrency; ordered handlers run one after
        // another on the message, so they get none (and follow the phase's concurrency).
        Lanes = fanout == FanoutMode.Parallel && (handlers.Length > 1 || handlers.Any(h => handlerWorkers(h.PluginName) is not null))
            ? [.. handlers.Select(h => new HandlerLane(h, capacity, handlerWorkers(h.PluginName) ?? workers))]
            : [];

        // Wait, never drop: a full phase holds its producers back (backpressure) instead of losing messages.
        Channel = System.Threading.Channels.Channel.CreateBounded<EventMessage>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = workers == 1,
            SingleWriter = false,
        });
        PhaseTags = new TagList { { "phase", name } };
        MoveTags = new TagList { { "current", name }, { "next", nextName } };
    }

    /// <summary>The phase name.</summary>
    public string Name { get; }

    /// <summary>The next phase's name, or <c>done</c>.</summary>
    public string NextName { get; }

    /// <summary>The next phase, or null when the next is <c>done</c>; set once while the router is built.</summary>
    public PhaseRuntime? Next { get; set; }

    /// <summary>The handlers; empty for a pass-through phase.</summary>
    public PhaseHandler[] Handlers { get; }

    /// <summary>Each handler's lane when the phase fans out in parallel to several handlers (or one with its own concurrency); empty otherwise.</summary>
    public HandlerLane[] Lanes { get; }

    /// <summary>Messages waiting in the phase: its channel plus the fullest of its lanes.</summary>
    public int Depth
    {
        get
        {
            var depth = 0;
            foreach (var lane in Lanes)
            {
                depth = Math.Max(depth, lane.Channel.Reader.Count);
            }

            return Channel.Reader.Count + depth;
        }
    }

    /// <summary>The worker count.</summary>
    public int Workers { get; }

    /// <summary>The phase's channel.</summary>
    public Channel<EventMessage> Channel { get; }

    /// <summary>The <c>phase</c> tag.</summary>
    // A field, not a property: passed by reference (in) on the hot path instead of copied.
    public readonly TagList PhaseTags;

    /// <summary>The <c>current</c> and <c>next</c> tags of <c>router-update-message-phase</c>.</summary>
    // A field, not a property: passed by reference (in) on the hot path instead of copied.
    public readonly TagList MoveTags;
}
