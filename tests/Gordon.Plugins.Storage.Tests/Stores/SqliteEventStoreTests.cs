using Gordon.Plugins.Storage.Stores.Sql;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Storage.Tests.Stores;

[TestFixture]
public sealed class SqliteEventStoreTests : EventStoreContract
{
    private string _directory = null!;

    [OneTimeSetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "gordon-sqlite-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private protected override Task<SqlEventStore> CreateStoreAsync(FakeTimeProvider time) =>
        Task.FromResult<SqlEventStore>(new SqliteEventStore(Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db"), time, NullLogger.Instance));

    // A path under a regular file can never be opened.
    private protected override SqlEventStore CreateUnreachableStore(FakeTimeProvider time)
    {
        var file = Path.Combine(_directory, "not-a-directory");
        File.WriteAllText(file, "x");
        return new SqliteEventStore(Path.Combine(file, "events.db"), time, NullLogger.Instance);
    }
}
