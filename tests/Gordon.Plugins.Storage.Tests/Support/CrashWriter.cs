using System.Globalization;
using Gordon.Abstractions.Events;
using Gordon.Plugins.Storage.Model;
using Gordon.Plugins.Storage.Stores.Sql;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Plugins.Storage.Tests.Support;

/// <summary>
/// The child of the crash test: writes batches to an SQLite store for ever and prints <c>ACK first last</c> after
/// each batch is acknowledged, until the test kills it.
/// </summary>
internal static class CrashWriter
{
    public const int BatchSize = 200;
    public const int TraitsPerEvent = 10;

    public static async Task<int> RunAsync(string path)
    {
        await using var store = new SqliteEventStore(path, TimeProvider.System, NullLogger.Instance);
        await store.UpgradeAsync(CancellationToken.None);
        await Console.Out.WriteLineAsync("READY");
        for (var batch = 0; ; batch++)
        {
            var first = batch * BatchSize;
            var events = Enumerable.Range(first, BatchSize).Select(Event).ToList();
            var results = await store.RecordEventsAsync(events, CancellationToken.None);
            if (results.Any(r => r.Status != RecordStatus.Recorded))
            {
                await Console.Error.WriteLineAsync("unexpected outcome: " + string.Join("; ", results.Select(r => r.Status + " " + r.Reason)));
                return 1;
            }

            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ACK {first} {first + BatchSize - 1}"));
            await Console.Out.FlushAsync();
        }
    }

    public static string Id(int n) => "crash-" + n.ToString(CultureInfo.InvariantCulture);

    private static Event Event(int n) => new()
    {
        MessageId = Id(n),
        EventType = "crash.test",
        Generated = FixtureS.T0.AddSeconds(n),
        Raw = "{\"n\":1}"u8.ToArray(),
        Traits = [.. Enumerable.Range(0, TraitsPerEvent).Select(t => Trait.Integer("t" + t.ToString(CultureInfo.InvariantCulture), n))],
    };
}
