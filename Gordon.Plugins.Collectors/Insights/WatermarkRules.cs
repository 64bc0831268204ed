namespace Gordon.Plugins.Collectors.Insights;

/// <summary>
/// Advances the per-key watermarks after a shipping gather. A key's watermark moves only through an unbroken run of
/// its collections, in order, that succeeded and whose every part was shipped: the first failed collection or failed
/// upload stops it there, even when later slices shipped. (The original skipped failed slices and failed uploads and
/// moved past them, leaving gaps that were never sent.)
/// </summary>
internal static class WatermarkRules
{
    public static Dictionary<string, DateTimeOffset> Advance(
        IReadOnlyDictionary<string, DateTimeOffset> previous,
        IEnumerable<Collection> collections)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(collections);
        var entries = new Dictionary<string, DateTimeOffset>(previous, StringComparer.Ordinal);
        foreach (var group in collections.Where(c => !c.Descriptor.IsConfig).GroupBy(c => c.Descriptor.Key, StringComparer.Ordinal))
        {
            var unbroken = true;
            DateTimeOffset? fullSyncDone = null;
            foreach (var collection in group)
            {
                if (collection.Failed || collection.Packages.Any(p => !p.Shipped))
                {
                    unbroken = false;
                    break;
                }

                if (collection.Until is { } until && (!entries.TryGetValue(group.Key, out var mark) || until > mark))
                {
                    entries[group.Key] = until;
                }

                if (collection.FullSync)
                {
                    fullSyncDone = collection.Finished;
                }
            }

            // A full sync counts as done only when all of it was shipped.
            var fullKey = group.Key + "_full";
            if (unbroken && fullSyncDone is { } done && (!entries.TryGetValue(fullKey, out var last) || done > last))
            {
                entries[fullKey] = done;
            }
        }

        return entries;
    }
}
