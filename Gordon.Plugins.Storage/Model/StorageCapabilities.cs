namespace Gordon.Plugins.Storage.Model;

/// <summary>What a backend supports (Panko §6.3, plus what Panko left implicit).</summary>
/// <param name="SimpleQuery">Filters on time, type, message id and traits (<c>events:query:simple</c>).</param>
/// <param name="ProductionReady">Stores events durably (<c>storage:production_ready</c>).</param>
/// <param name="Pagination">Sort keys and markers are honoured.</param>
/// <param name="Expiry">Expired events can be cleared.</param>
internal sealed record StorageCapabilities(bool SimpleQuery, bool ProductionReady, bool Pagination, bool Expiry)
{
    public static StorageCapabilities Sql { get; } = new(true, true, true, true);

    public static StorageCapabilities None { get; } = new(false, false, false, false);
}
