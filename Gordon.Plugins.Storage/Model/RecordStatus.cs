namespace Gordon.Plugins.Storage.Model;

/// <summary>What happened to one event given to <c>RecordEventsAsync</c>.</summary>
internal enum RecordStatus
{
    /// <summary>Stored.</summary>
    Recorded,

    /// <summary>An event with this message id is already stored (or came earlier in the same call): skipped, not an error.</summary>
    Duplicate,

    /// <summary>The event cannot be stored as it is (reason given); retrying will not help.</summary>
    Invalid,

    /// <summary>The database failed (reason given); retrying later may help.</summary>
    Failed,
}
