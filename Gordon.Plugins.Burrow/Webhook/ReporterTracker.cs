using System.Collections.Concurrent;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;

namespace Gordon.Plugins.Burrow.Webhook;

/// <summary>
/// Karrot's "reporters" for <c>/reporters/</c>: the handlers of the publish phase, each with the last webhook event
/// it handled and when. The webhook passes itself as the delivery observer of every event it emits, and each
/// delivered message's history says which handler handled it in which phase and when: that is recorded here.
/// </summary>
internal sealed class ReporterTracker : IDeliveryObserver
{
    private readonly string _phase;
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    public ReporterTracker(string phase)
    {
        _phase = phase;
    }

    /// <inheritdoc />
    public void OnDelivered(IEventMessage message, DeliveryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Also for dead-lettered messages: the handlers that did handle it are in the history.
        var history = message.History;
        Event? data = null;
        for (var i = 0; i < history.Count; i++)
        {
            var entry = history[i];
            if (entry.Outcome == HistoryOutcome.Handled && string.Equals(entry.Phase, _phase, StringComparison.Ordinal))
            {
                data ??= message.Data;
                _slots.GetOrAdd(entry.Plugin, static _ => new Slot()).Update(entry.Time, data);
            }
        }
    }

    /// <summary>
    /// The reporters: the daemon's handlers of the phase in route order (also those that have handled nothing yet),
    /// then any other handler seen in a history, by name.
    /// </summary>
    public IReadOnlyList<string> Names(IDaemonInfo? daemon)
    {
        var names = new List<string>();
        if (daemon is not null)
        {
            foreach (var plugin in daemon.GetPlugins())
            {
                if (string.Equals(plugin.Phase, _phase, StringComparison.Ordinal) && plugin.Kind.Contains("handler", StringComparison.Ordinal))
                {
                    names.Add(plugin.Name);
                }
            }
        }

        foreach (var seen in _slots.Keys.Order(StringComparer.Ordinal))
        {
            if (!names.Contains(seen, StringComparer.Ordinal))
            {
                names.Add(seen);
            }
        }

        return names;
    }

    /// <summary>The last event a reporter handled, and when; both null when it has handled none yet.</summary>
    public (DateTimeOffset? Time, Event? Event) Last(string name)
    {
        return _slots.TryGetValue(name, out var slot) ? slot.Read() : (null, null);
    }

    private sealed class Slot
    {
        private readonly Lock _lock = new();
        private DateTimeOffset _time;
        private Event? _event;

        public void Update(DateTimeOffset time, Event @event)
        {
            lock (_lock)
            {
                // Parallel workers may deliver out of order: keep the latest.
                if (_event is null || time >= _time)
                {
                    _time = time;
                    _event = @event;
                }
            }
        }

        public (DateTimeOffset? Time, Event? Event) Read()
        {
            lock (_lock)
            {
                return _event is null ? (null, null) : (_time, _event);
            }
        }
    }
}
