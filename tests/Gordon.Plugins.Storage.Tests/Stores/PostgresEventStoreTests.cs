using Gordon.Plugins.Storage.Stores.Sql;
using Gordon.Plugins.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Storage.Tests.Stores;

[TestFixture]
[Category("Server")]
public sealed class PostgresEventStoreTests : EventStoreContract
{
    private protected override async Task<SqlEventStore> CreateStoreAsync(FakeTimeProvider time)
    {
        var server = await Servers.PostgresAsync();
        var connectionString = await server.CreateDatabaseAsync();
        return new PostgresEventStore(connectionString, "postgresql://test", time, NullLogger.Instance);
    }

    private protected override SqlEventStore CreateUnreachableStore(FakeTimeProvider time) =>
        new PostgresEventStore($"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Timeout=2", "postgresql://nowhere", time, NullLogger.Instance);
}
