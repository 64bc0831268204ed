namespace Gordon.Plugins.Storage.Stores;

/// <summary>How hard SQLite makes a commit durable before the handler acknowledges the event.</summary>
internal enum SqliteSynchronous
{
    /// <summary>The WAL is synced at every commit: an acknowledged event survives a power loss.</summary>
    Full,

    /// <summary>Synced at checkpoints only: an acknowledged event survives a crash of the daemon, not of the machine.</summary>
    Normal,
}
