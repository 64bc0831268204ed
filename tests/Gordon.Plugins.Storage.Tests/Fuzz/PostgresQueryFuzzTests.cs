using Gordon.Plugins.Storage.Tests.Support;
using Npgsql;

namespace Gordon.Plugins.Storage.Tests.Fuzz;

[TestFixture]
[Category("Server")]
public sealed class PostgresQueryFuzzTests : QueryFuzzContract
{
    private protected override async Task<string> UrlAsync()
    {
        var server = await Servers.PostgresAsync();
        var database = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()).Database;
        return $"postgresql://postgres@127.0.0.1:{server.Port}/{database}";
    }
}
