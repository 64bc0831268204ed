namespace Gordon.Core.Plugins;

/// <summary>Releases a plugin instance that owns resources (timers, sockets, files), whichever dispose it offers.</summary>
internal static class PluginDisposal
{
    public static ValueTask DisposeAsync(object instance)
    {
        switch (instance)
        {
            case IAsyncDisposable asyncDisposable:
                return asyncDisposable.DisposeAsync();
            case IDisposable disposable:
                disposable.Dispose();
                return ValueTask.CompletedTask;
            default:
                return ValueTask.CompletedTask;
        }
    }
}
