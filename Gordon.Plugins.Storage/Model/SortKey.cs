namespace Gordon.Plugins.Storage.Model;

/// <summary>What events can be sorted by (Panko's SUPPORT_SORT_KEYS).</summary>
internal enum SortKey
{
    /// <summary>The time the event was generated.</summary>
    Generated,

    /// <summary>The message id (unique).</summary>
    MessageId,
}
