namespace Gordon.Core.Metrics;

/// <summary>
/// Compares metric names for the relay's instrument cache. Callers pass the same string constants
/// every time, so equality tries reference equality first, and the hash reads the length and three
/// characters instead of the whole string: the lookup is on the router's hot path (several per
/// message), and names come from code, not from input, so hash flooding is no concern.
/// </summary>
internal sealed class MetricNameComparer : IEqualityComparer<string>
{
    public static MetricNameComparer Instance { get; } = new();

    public bool Equals(string? x, string? y) => ReferenceEquals(x, y) || string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Length == 0 ? 0 : HashCode.Combine(obj.Length, obj[0], obj[obj.Length / 2], obj[^1]);
    }
}
