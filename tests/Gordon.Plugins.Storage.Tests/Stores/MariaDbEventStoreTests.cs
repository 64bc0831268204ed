using System.Globalization;
using Gordon.Plugins.Storage.Stores.Sql;
using Gordon.Plugins.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MySqlConnector;

namespace Gordon.Plugins.Storage.Tests.Stores;

[TestFixture]
[Category("Server")]
public sealed class MariaDbEventStoreTests : EventStoreContract
{
    private string _connectionString = string.Empty;

    [Test]
    public async Task ClearExpiredData_WhileAnotherDaemonExpires_SkipsItsRunAndReleasesTheLockAfterItsOwn()
    {
        await LoadFixtureAsync();
        await using var other = new MySqlConnection(_connectionString);
        await other.OpenAsync();
        Assert.That(await ScalarAsync(other, $"SELECT GET_LOCK({MariaDbEventStore.ExpiryLockName}, 0)"), Is.EqualTo(1));

        Assert.That(await Store.ClearExpiredDataAsync(TimeSpan.FromHours(1), null, CancellationToken.None), Is.Zero);
        Assert.That(await CountAsync("event"), Is.EqualTo(6));

        Assert.That(await ScalarAsync(other, $"SELECT RELEASE_LOCK({MariaDbEventStore.ExpiryLockName})"), Is.EqualTo(1));
        Assert.That(await Store.ClearExpiredDataAsync(TimeSpan.FromHours(1), null, CancellationToken.None), Is.EqualTo(4));
        Assert.That(await ScalarAsync(other, $"SELECT IS_FREE_LOCK({MariaDbEventStore.ExpiryLockName})"), Is.EqualTo(1), "the store released its lock");
    }

    [Test]
    public async Task ClearExpiredData_TwoDaemonsAtOnce_OnlyOneDeletes()
    {
        await LoadFixtureAsync();
        await using var second = new MariaDbEventStore(_connectionString, "mysql://second", Time, NullLogger.Instance);

        var deleted = await Task.WhenAll(
            Task.Run(() => Store.ClearExpiredDataAsync(TimeSpan.FromHours(1), null, CancellationToken.None)),
            Task.Run(() => second.ClearExpiredDataAsync(TimeSpan.FromHours(1), null, CancellationToken.None)));

        Assert.That(deleted, Is.EquivalentTo(new long[] { 4, 0 }));
        Assert.That(await CountAsync("event"), Is.EqualTo(2));
        await using var other = new MySqlConnection(_connectionString);
        await other.OpenAsync();
        Assert.That(await ScalarAsync(other, $"SELECT IS_FREE_LOCK({MariaDbEventStore.ExpiryLockName})"), Is.EqualTo(1), "both stores released the lock");
    }

    private protected override async Task<SqlEventStore> CreateStoreAsync(FakeTimeProvider time)
    {
        var server = await Servers.MariaDbAsync();
        _connectionString = await server.CreateDatabaseAsync();
        return new MariaDbEventStore(_connectionString, "mysql://test", time, NullLogger.Instance);
    }

    private protected override SqlEventStore CreateUnreachableStore(FakeTimeProvider time) =>
        new MariaDbEventStore($"Server=127.0.0.1;Port={FreePort.Next()};User ID=root;Connection Timeout=2", "mysql://nowhere", time, NullLogger.Instance);

    private static async Task<long> ScalarAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
