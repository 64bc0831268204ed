using System.Diagnostics;
using System.Globalization;
using Gordon.Plugins.Storage.Model;
using Gordon.Plugins.Storage.Stores.Sql;
using Gordon.Plugins.Storage.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Plugins.Storage.Tests.Stores;

[TestFixture]
public sealed class SqliteCrashTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task WriterKilledMidBatch_StoreIsConsistentAndHoldsEveryAcknowledgedEvent(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gordon-crash-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "events.db");
        try
        {
            var acknowledged = -1;
            var info = new ProcessStartInfo(DotnetHost())
            {
                ArgumentList = { typeof(ChildProgram).Assembly.Location, "crash-writer", path },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using (var child = Process.Start(info)!)
            {
                var errors = child.StandardError.ReadToEndAsync(cancellationToken);
                var acks = 0;
                while (await child.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.StartsWith("ACK ", StringComparison.Ordinal))
                    {
                        acknowledged = int.Parse(line.Split(' ')[2], CultureInfo.InvariantCulture);

                        // Killed while it writes the next batch: the kill lands inside a transaction most of the time.
                        if (++acks == 8)
                        {
                            child.Kill();
                            break;
                        }
                    }
                }

                await child.WaitForExitAsync(cancellationToken);
                Assert.That(acknowledged, Is.GreaterThan(0), "the writer acknowledged nothing: " + await errors);
            }

            await using var store = new SqliteEventStore(path, TimeProvider.System, NullLogger.Instance);
            var events = await store.GetEventsAsync(EventFilter.All, Pagination.None, cancellationToken).ToListAsync(cancellationToken);
            var ids = events.Select(e => e.MessageId).ToHashSet();

            Assert.That(Enumerable.Range(0, acknowledged + 1).Select(CrashWriter.Id).Where(id => !ids.Contains(id)), Is.Empty, "acknowledged events missing");
            Assert.That(events.Select(e => e.Traits.Count), Is.All.EqualTo(CrashWriter.TraitsPerEvent), "an event without all its traits: a torn batch");
            Assert.That(events.Count % CrashWriter.BatchSize, Is.Zero, "only whole batches are stored");
            await using var connection = new SqliteConnection($"Data Source={path}");
            await connection.OpenAsync(cancellationToken);
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.That(await check.ExecuteScalarAsync(cancellationToken), Is.EqualTo("ok"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
}
