using Gordon.Plugins.Storage.Stores.Sql;
using Gordon.Plugins.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Storage.Tests.Stores;

[TestFixture]
[Category("Server")]
public sealed class MariaDbEventStoreTests : EventStoreContract
{
    private protected override async Task<SqlEventStore> CreateStoreAsync(FakeTimeProvider time)
    {
        var server = await Servers.MariaDbAsync();
        var connectionString = await server.CreateDatabaseAsync();
        return new MariaDbEventStore(connectionString, "mysql://test", time, NullLogger.Instance);
    }

    private protected override SqlEventStore CreateUnreachableStore(FakeTimeProvider time) =>
        new MariaDbEventStore($"Server=127.0.0.1;Port={FreePort.Next()};User ID=root;Connection Timeout=2", "mysql://nowhere", time, NullLogger.Instance);
}
