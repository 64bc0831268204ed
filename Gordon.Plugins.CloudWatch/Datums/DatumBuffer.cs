using Gordon.Plugins.CloudWatch.Configuration;

namespace Gordon.Plugins.CloudWatch.Datums;

/// <summary>
/// The bounded, thread-safe queue of datums waiting for the next flush: a ring that grows up to its capacity.
/// Handlers add at the back; the flusher takes from the front and puts back, at the front, what it could not send.
/// </summary>
internal sealed class DatumBuffer
{
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private readonly OverflowPolicy _policy;
    private MetricDatum[] _items;
    private int _head;
    private int _count;

    public DatumBuffer(int capacity, OverflowPolicy policy)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _policy = policy;
        _items = new MetricDatum[Math.Min(capacity, 1024)];
    }

    public int Capacity => _capacity;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Adds datums at the back, applying the overflow policy.</summary>
    /// <param name="datums">The datums of one event.</param>
    /// <returns>How many datums were dropped to keep the bound (old or new, by policy); -1 when
    /// <see cref="OverflowPolicy.Reject"/> refused them all.</returns>
    public int Add(IReadOnlyList<MetricDatum> datums)
    {
        ArgumentNullException.ThrowIfNull(datums);
        lock (_lock)
        {
            var room = _capacity - _count;
            if (datums.Count > room && _policy == OverflowPolicy.Reject)
            {
                return -1;
            }

            var dropped = 0;
            foreach (var datum in datums)
            {
                if (_count == _capacity)
                {
                    if (_policy == OverflowPolicy.DropNewest)
                    {
                        dropped++;
                        continue;
                    }

                    RemoveFront();
                    dropped++;
                }

                PushBack(datum);
            }

            return dropped;
        }
    }

    /// <summary>Takes up to <paramref name="max"/> datums from the front.</summary>
    public List<MetricDatum> Take(int max)
    {
        lock (_lock)
        {
            var n = Math.Min(max, _count);
            var taken = new List<MetricDatum>(n);
            for (var i = 0; i < n; i++)
            {
                taken.Add(_items[_head]!);
                RemoveFront();
            }

            return taken;
        }
    }

    /// <summary>Puts datums that could not be sent back at the front, oldest first, within the bound.</summary>
    /// <returns>How many of them no longer fit and were dropped (the oldest ones).</returns>
    public int ReturnToFront(IReadOnlyList<MetricDatum> datums)
    {
        ArgumentNullException.ThrowIfNull(datums);
        lock (_lock)
        {
            var room = _capacity - _count;
            var keep = Math.Min(room, datums.Count);
            // Keep the newest of the returned datums: at the front they are the oldest in the buffer anyway.
            for (var i = datums.Count - 1; i >= datums.Count - keep; i--)
            {
                PushFront(datums[i]);
            }

            return datums.Count - keep;
        }
    }

    private void PushBack(MetricDatum datum)
    {
        Grow();
        _items[(_head + _count) % _items.Length] = datum;
        _count++;
    }

    private void PushFront(MetricDatum datum)
    {
        Grow();
        _head = (_head - 1 + _items.Length) % _items.Length;
        _items[_head] = datum;
        _count++;
    }

    private void RemoveFront()
    {
        _items[_head] = null!;
        _head = (_head + 1) % _items.Length;
        _count--;
    }

    private void Grow()
    {
        if (_count < _items.Length)
        {
            return;
        }

        var larger = new MetricDatum[Math.Min(_capacity, _items.Length * 2)];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _items[(_head + i) % _items.Length];
        }

        _items = larger;
        _head = 0;
    }
}
