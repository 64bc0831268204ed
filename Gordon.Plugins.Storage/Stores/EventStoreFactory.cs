using Gordon.Plugins.Storage.Stores.Sql;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Storage.Stores;

/// <summary>Builds the store a parsed URL names.</summary>
internal static class EventStoreFactory
{
    public static IEventStore Create(StorageUrl url, TimeProvider time, ILoggerFactory loggerFactory, SqliteSynchronous synchronous = SqliteSynchronous.Normal)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger("Gordon.Plugins.storage.Store");
        return url.Backend switch
        {
            StorageBackend.Sqlite => new SqliteEventStore(url.Target, time, logger, synchronous),
            StorageBackend.PostgreSql => new PostgresEventStore(url.Target, url.Description, time, logger),
            StorageBackend.MariaDb => new MariaDbEventStore(url.Target, url.Description, time, logger),
            _ => new LogEventStore(logger),
        };
    }
}
