namespace Gordon.Plugins.RabbitMQ.Connection;

/// <summary>Capped exponential backoff: initial, twice that, … up to max; <see cref="Reset"/> starts over.</summary>
internal sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public Backoff(TimeSpan initial, TimeSpan max)
    {
        _initial = initial;
        _max = max;
        _next = initial;
    }

    /// <summary>The delay to wait now; the one after is twice as long, up to the cap.</summary>
    /// <returns>The delay.</returns>
    public TimeSpan Next()
    {
        var delay = _next;
        _next = _next >= _max / 2 ? _max : _next * 2;
        return delay;
    }

    /// <summary>Starts over at the first delay (after a success).</summary>
    public void Reset() => _next = _initial;
}
