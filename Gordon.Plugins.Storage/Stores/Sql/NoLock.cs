namespace Gordon.Plugins.Storage.Stores.Sql;

/// <summary>A migration lock that needs no release (the transaction holds it).</summary>
internal sealed class NoLock : IAsyncDisposable
{
    public static NoLock Instance { get; } = new();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
