using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Gordon.Plugins.Burrow.Parsing;

/// <summary>
/// Reuses the strings that repeat in every report of a group (cluster, group, topic, owner, client id), so parsing a
/// report allocates a name only the first time it is seen. Looked up by the name's UTF-8 bytes as they sit in the
/// body, so a hit costs a hash of a few bytes and no transcoding. Bounded: when full it starts over, so names of
/// consumers long gone cannot pile up.
/// </summary>
internal sealed class NameCache
{
    /// <summary>Longer values are not cached (names are short; a long value is likely a one-off).</summary>
    public const int MaxLength = 128;

    private readonly ConcurrentDictionary<byte[], string> _names = new(Utf8Comparer.Instance);
    private readonly ConcurrentDictionary<byte[], string>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly int _capacity;

    public NameCache(int capacity = 8192)
    {
        _capacity = capacity;
        _lookup = _names.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count => _names.Count;

    /// <summary>The string value the reader is on (a <see cref="JsonTokenType.String"/> token).</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        // Escaped names (rare: quotes, control characters, \u escapes) are decoded each time.
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxLength)
        {
            return reader.GetString()!;
        }

        var utf8 = reader.ValueSpan;
        if (_lookup.TryGetValue(utf8, out var known))
        {
            return known;
        }

        var name = reader.GetString()!;
        if (_names.Count >= _capacity)
        {
            _names.Clear();
        }

        return _lookup.TryAdd(utf8, name) ? name : _lookup.TryGetValue(utf8, out var raced) ? raced : name;
    }

    private sealed class Utf8Comparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly Utf8Comparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode([DisallowNull] byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        // HashCode is seeded per process: a sender cannot choose names that all collide.
        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
