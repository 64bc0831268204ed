namespace Gordon.Plugins.Storage.Tests.Fuzz;

[TestFixture]
public sealed class SqliteQueryFuzzTests : QueryFuzzContract
{
    // Relative to the harness's own state directory: a fresh file per run.
    private protected override Task<string> UrlAsync() => Task.FromResult("sqlite://fuzz.db");
}
