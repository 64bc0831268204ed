using System.Globalization;

namespace Gordon.EndToEnd.Tests.Support;

/// <summary>The exactly-once check of the crash and fault tests, on rows read by <see cref="StoreReader"/>.</summary>
internal static class StoreAssert
{
    /// <summary>
    /// Every acknowledged message id (id → index of the body it answered) is stored exactly once, and the store holds
    /// nothing else: every row is one of the posted bodies (its group <paramref name="groupPrefix"/>N with N below
    /// <paramref name="posted"/>), no body twice. A body whose POST was cut by a stop may be stored without having
    /// been acknowledged: that is allowed (the client was not told either way).
    /// </summary>
    public static void ExactlyOnce(IReadOnlyDictionary<string, int> acknowledged, IReadOnlyList<StoredEvent> stored, string groupPrefix, int posted)
    {
        var perId = stored.GroupBy(e => e.MessageId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var missing = acknowledged.Keys.Where(id => !perId.ContainsKey(id)).ToList();
        var repeatedIds = perId.Where(p => p.Value > 1).Select(p => p.Key).ToList();
        var indexes = stored.Select(e => IndexOf(e.Group, groupPrefix)).ToList();
        var foreign = stored.Where((_, i) => indexes[i] is not { } n || n < 0 || n >= posted).ToList();
        var repeatedBodies = indexes.OfType<int>().GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var bodyOfId = stored.Select((e, i) => (e.MessageId, Index: indexes[i])).DistinctBy(e => e.MessageId, StringComparer.Ordinal)
            .ToDictionary(e => e.MessageId, e => e.Index, StringComparer.Ordinal);
        var wrongBody = acknowledged.Where(a => bodyOfId.TryGetValue(a.Key, out var index) && index != a.Value).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(missing, Is.Empty, $"acknowledged but not stored ({missing.Count} of {acknowledged.Count})");
            Assert.That(repeatedIds, Is.Empty, "message ids stored more than once");
            Assert.That(repeatedBodies, Is.Empty, "bodies stored more than once (under different message ids)");
            Assert.That(foreign, Is.Empty, "stored rows that are none of the posted bodies");
            Assert.That(wrongBody, Is.Empty, "acknowledged ids stored with another body's group");
        });
    }

    private static int? IndexOf(string? group, string prefix) =>
        group is not null && group.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(group.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;
}
