namespace Gordon.Plugins.Storage.Model;

/// <summary>One sort key and its direction.</summary>
/// <param name="Key">The key.</param>
/// <param name="Descending">True for descending.</param>
internal readonly record struct SortOrder(SortKey Key, bool Descending = false)
{
    /// <summary>Panko's default: <c>generated asc, message_id asc</c>.</summary>
    public static IReadOnlyList<SortOrder> Default { get; } = [new(SortKey.Generated), new(SortKey.MessageId)];
}
