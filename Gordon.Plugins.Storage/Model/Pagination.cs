namespace Gordon.Plugins.Storage.Model;

/// <summary>Limit, marker and sort of an event query.</summary>
/// <param name="Limit">At most this many events; null means no limit, 0 gives nothing.</param>
/// <param name="Marker">A message id: only events strictly after it in the sort order. Unknown → <see cref="InvalidMarkerException"/>.</param>
/// <param name="Sort">The sort keys in order; empty means <see cref="SortOrder.Default"/>.</param>
internal sealed record Pagination(int? Limit = null, string? Marker = null, IReadOnlyList<SortOrder>? Sort = null)
{
    public static Pagination None { get; } = new();

    /// <summary>
    /// The effective sort: the default when none was given, and <c>message_id asc</c> appended when message_id is
    /// missing, so the order is total and keyset paging never skips or repeats events with equal timestamps.
    /// </summary>
    public IReadOnlyList<SortOrder> EffectiveSort
    {
        get
        {
            if (Sort is not { Count: > 0 } sort)
            {
                return SortOrder.Default;
            }

            var list = new List<SortOrder>();
            foreach (var order in sort)
            {
                if (!list.Exists(o => o.Key == order.Key))
                {
                    list.Add(order);
                }
            }

            if (!list.Exists(o => o.Key == SortKey.MessageId))
            {
                list.Add(new SortOrder(SortKey.MessageId));
            }

            return list;
        }
    }
}
