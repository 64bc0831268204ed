using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;

namespace Gordon.Core.Routing;

/// <summary>
/// The router's message: the event, its phase (set only by the router), and a bounded history that
/// keeps the first entry and the latest ones.
/// </summary>
internal sealed class EventMessage : IEventMessage
{
    private readonly int _historyLimit;
    private HistoryEntry[] _entries;
    private int _count;
    private int _busy;
    private int _delivered;
    private int _lanesPending;
    private LaneFailure? _laneFailure;
    private Event _data;

    /// <summary>Creates a message in its first phase.</summary>
    /// <param name="data">The event.</param>
    /// <param name="phase">The first phase.</param>
    /// <param name="historyLimit">The most history entries kept (at least 2).</param>
    /// <param name="historyCapacity">The entries room is made for at first (the usual length of the route's history).</param>
    /// <param name="observer">Told when the message leaves the pipeline; may be null.</param>
    /// <param name="startTimestamp">When it entered the pipeline (a <see cref="TimeProvider"/> timestamp).</param>
    public EventMessage(Event data, string phase, int historyLimit, int historyCapacity, IDeliveryObserver? observer, long startTimestamp)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLimit, 2);
        _data = data;
        Phase = phase;
        Observer = observer;
        StartTimestamp = startTimestamp;
        _historyLimit = historyLimit;
        _entries = new HistoryEntry[Math.Clamp(historyCapacity, 1, historyLimit)];
    }

    /// <inheritdoc />
    public string MsgId => Data.MessageId;

    /// <inheritdoc />
    public Event Data => Volatile.Read(ref _data);

    /// <inheritdoc />
    public string Phase { get; internal set; }

    /// <summary>Told when the message leaves the pipeline.</summary>
    public IDeliveryObserver? Observer { get; }

    /// <summary>When the message entered the pipeline, for the flight-duration timer.</summary>
    public long StartTimestamp { get; }

    /// <summary>How many entries the history holds now.</summary>
    public int HistoryCount => Volatile.Read(ref _count);

    /// <inheritdoc />
    /// <remarks>A snapshot: handlers of a parallel phase may append while another reads.</remarks>
    public IReadOnlyList<HistoryEntry> History
    {
        get
        {
            Enter();
            try
            {
                return _entries.AsSpan(0, _count).ToArray();
            }
            finally
            {
                Exit();
            }
        }
    }

    /// <inheritdoc />
    public void UpdateData(Func<Event, Event> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var current = Volatile.Read(ref _data);
        while (true)
        {
            var next = update(current) ?? throw new ArgumentException("The update returned no event.", nameof(update));
            if (!string.Equals(next.MessageId, current.MessageId, StringComparison.Ordinal))
            {
                // The id keys dead letters, replays and storage idempotency: an enricher must not change it.
                throw new ArgumentException($"An update must keep the message id '{current.MessageId}', not '{next.MessageId}'.", nameof(update));
            }

            var seen = Interlocked.CompareExchange(ref _data, next, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }

    public void AppendToHistory(HistoryEntry entry)
    {
        Enter();
        try
        {
            if (_count == _historyLimit)
            {
                // Full: keep entry 0 (where the message came from) and drop the oldest of the rest.
                Array.Copy(_entries, 2, _entries, 1, _count - 2);
                _entries[_count - 1] = entry;
                return;
            }

            if (_count == _entries.Length)
            {
                Array.Resize(ref _entries, Math.Min(Math.Max(_entries.Length * 2, 4), _historyLimit));
            }

            _entries[_count++] = entry;
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>The first failure of a handler lane in the current phase, or null.</summary>
    public LaneFailure? LaneFailure => Volatile.Read(ref _laneFailure);

    /// <summary>Whether the message is done or dead-lettered.</summary>
    public bool IsDelivered => Volatile.Read(ref _delivered) == 1;

    /// <summary>Starts a parallel fan-out over handler lanes: the message moves on when every lane has finished it.</summary>
    /// <param name="lanes">The lane count.</param>
    public void StartLanes(int lanes)
    {
        Volatile.Write(ref _laneFailure, null);
        Volatile.Write(ref _lanesPending, lanes);
    }

    /// <summary>Records that one lane finished the message.</summary>
    /// <param name="error">The handler's final error, or null when it succeeded.</param>
    /// <param name="pluginName">The handler's plugin.</param>
    /// <returns>True for the last lane to finish: it moves the message on or dead-letters it.</returns>
    public bool FinishLane(Exception? error, string pluginName)
    {
        if (error is not null)
        {
            Interlocked.CompareExchange(ref _laneFailure, new LaneFailure(error, pluginName), null);
        }

        return Interlocked.Decrement(ref _lanesPending) == 0;
    }

    /// <summary>Marks the message as delivered; true only the first time, so the observer is told once.</summary>
    /// <returns>Whether this call delivered it.</returns>
    public bool TryMarkDelivered() => Interlocked.Exchange(ref _delivered, 1) == 0;

    /// <inheritdoc />
    public override string ToString() => $"{MsgId} ({Phase})";

    // A spin lock on an int field rather than a lock object: the critical sections are a few
    // stores long, and a lock object would be one more allocation per message.
    private void Enter()
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            return;
        }

        var spinner = default(SpinWait);
        while (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            spinner.SpinOnce();
        }
    }

    private void Exit() => Volatile.Write(ref _busy, 0);
}
