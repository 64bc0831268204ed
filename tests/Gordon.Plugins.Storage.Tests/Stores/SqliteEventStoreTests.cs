using System.Globalization;
using Gordon.Abstractions.Events;
using Gordon.Plugins.Storage.Model;
using Gordon.Plugins.Storage.Stores.Sql;
using Gordon.Plugins.Storage.Tests.Support;
using SortKey = Gordon.Plugins.Storage.Model.SortKey;
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

    [TestCase(false)]
    [TestCase(true)]
    public async Task GetEvents_TraitFilterWithMatchesBeyondTheScanWindow_PagesAsWithoutAWindow(bool descending)
    {
        // 40 events, one in 7 matches both filters (the others match one or none); a window of 5 events makes most pages
        // fall back from the ordered walk to the trait indexes, some are found within the walk.
        await using var windowed = new SqliteEventStore(Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db"), Time, NullLogger.Instance, scanWindow: 5);
        await windowed.UpgradeAsync(CancellationToken.None);
        var events = Enumerable.Range(0, 40).Select(i => FixtureS.Simple(
            $"m{i:D2}",
            generated: FixtureS.T0.AddMinutes(i / 2),
            traits: [Trait.String("a", i % 7 == 0 ? "x" : "y"), Trait.Integer("b", i % 7 == 0 || i % 2 == 0 ? 1 : 2)])).ToList();
        await windowed.RecordEventsAsync(events, CancellationToken.None);
        var filter = new EventFilter { TraitFilters = [TraitFilter.String("a", "x"), TraitFilter.Integer("b", 1)] };
        var sort = new[] { new SortOrder(SortKey.Generated, descending), new SortOrder(SortKey.MessageId, descending) };
        var expected = events.Where(e => int.Parse(e.MessageId[1..], CultureInfo.InvariantCulture) % 7 == 0).Select(e => e.MessageId).ToList();
        if (descending)
        {
            expected.Reverse();
        }

        var paged = new List<string>();
        string? marker = null;
        while (true)
        {
            var page = await windowed.GetEventsAsync(filter, new Pagination(Limit: 2, Marker: marker, Sort: sort), CancellationToken.None).ToListAsync();
            paged.AddRange(page.Select(e => e.MessageId));
            if (page.Count < 2)
            {
                break;
            }

            marker = page[^1].MessageId;
        }

        Assert.That(paged, Is.EqualTo(expected));
    }

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
