namespace Gordon.Plugins.Storage.Tests.Support;

/// <summary>
/// The database servers of this test run, each started on first use (so a run filtered to SQLite starts none) and
/// stopped by <see cref="ServersTearDown"/> when the run ends.
/// </summary>
internal static class Servers
{
    private static readonly Lazy<Task<PostgresServer>> Postgres = new(PostgresServer.StartAsync);
    private static readonly Lazy<Task<MariaDbServer>> MariaDb = new(MariaDbServer.StartAsync);

    public static Task<PostgresServer> PostgresAsync() => Postgres.Value;

    public static Task<MariaDbServer> MariaDbAsync() => MariaDb.Value;

    public static void StopAll()
    {
        if (Postgres.IsValueCreated && Postgres.Value.IsCompletedSuccessfully)
        {
            Postgres.Value.Result.Dispose();
        }

        if (MariaDb.IsValueCreated && MariaDb.Value.IsCompletedSuccessfully)
        {
            MariaDb.Value.Result.Dispose();
        }
    }
}
