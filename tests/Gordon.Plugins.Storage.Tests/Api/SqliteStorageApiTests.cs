namespace Gordon.Plugins.Storage.Tests.Api;

[TestFixture]
public sealed class SqliteStorageApiTests : StorageApiContract
{
    // Relative to each harness's own state directory: a fresh file per test.
    private protected override Task<string> UrlAsync() => Task.FromResult("sqlite://api.db");
}
