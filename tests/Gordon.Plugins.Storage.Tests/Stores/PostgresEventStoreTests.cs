using Gordon.Plugins.Storage.Stores.Sql;
using Gordon.Plugins.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Gordon.Plugins.Storage.Tests.Stores;

[TestFixture]
[Category("Server")]
public sealed class PostgresEventStoreTests : EventStoreContract
{
    private string _connectionString = string.Empty;

    [Test]
    public async Task ClearExpiredData_WhileAnotherDaemonExpires_SkipsItsRun()
    {
        await LoadFixtureAsync();
        await using var other = new NpgsqlConnection(_connectionString);
        await other.OpenAsync();
        await using (var transaction = await other.BeginTransactionAsync())
        {
            await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", other, transaction))
            {
                take.Parameters.AddWithValue("key", PostgresEventStore.ExpiryLockKey);
                await take.ExecuteNonQueryAsync();
            }

            Assert.That(await Store.ClearExpiredDataAsync(TimeSpan.FromHours(1), null, CancellationToken.None), Is.Zero);
            Assert.That(await CountAsync("event"), Is.EqualTo(6));
        }

        Assert.That(await Store.ClearExpiredDataAsync(TimeSpan.FromHours(1), null, CancellationToken.None), Is.EqualTo(4));
    }

    private protected override async Task<SqlEventStore> CreateStoreAsync(FakeTimeProvider time)
    {
        var server = await Servers.PostgresAsync();
        _connectionString = await server.CreateDatabaseAsync();
        return new PostgresEventStore(_connectionString, "postgresql://test", time, NullLogger.Instance);
    }

    private protected override SqlEventStore CreateUnreachableStore(FakeTimeProvider time) =>
        new PostgresEventStore($"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Timeout=2", "postgresql://nowhere", time, NullLogger.Instance);
}
