namespace Gordon.Plugins.Storage.Model;

/// <summary>The outcome for one event, in the order the events were given.</summary>
/// <param name="MessageId">The event's message id.</param>
/// <param name="Status">What happened.</param>
/// <param name="Reason">Why an event is invalid or failed; null otherwise.</param>
internal readonly record struct RecordResult(string MessageId, RecordStatus Status, string? Reason = null)
{
    /// <summary>True for stored and duplicate: the event is in the store.</summary>
    public bool IsStored => Status is RecordStatus.Recorded or RecordStatus.Duplicate;
}
