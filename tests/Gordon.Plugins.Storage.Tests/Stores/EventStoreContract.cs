using System.Data.Common;
using System.Globalization;
using SortKey = Gordon.Plugins.Storage.Model.SortKey;
using System.Text;
using Gordon.Abstractions.Events;
using Gordon.Plugins.Storage.Model;
using Gordon.Plugins.Storage.Stores.Sql;
using Gordon.Plugins.Storage.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Storage.Tests.Stores;

/// <summary>
/// The behaviour every backend must show (Panko's §9.1–9.4 restated with our data), run once per backend by the
/// derived fixtures: SQLite in-process, and real PostgreSQL and MariaDB servers.
/// </summary>
public abstract class EventStoreContract
{
    private readonly List<SqlEventStore> _stores = [];

    private protected FakeTimeProvider Time { get; private set; } = null!;

    private protected SqlEventStore Store { get; private set; } = null!;

    [SetUp]
    public async Task CreateStore()
    {
        Time = new FakeTimeProvider(FixtureS.T0.AddHours(5));
        Store = await NewStoreAsync(Time);
        await Store.UpgradeAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task DisposeStores()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        _stores.Clear();
    }

    // --- 9.1 record_events ---------------------------------------------------------------------------------------

    [Test]
    public async Task RecordEvents_SameMessageIdTwiceInOneBatch_KeepsTheFirstAndReportsTheSecondAsDuplicate()
    {
        var results = await Store.RecordEventsAsync([FixtureS.Simple("1", "Foo"), FixtureS.Simple("1", "Zoo")], CancellationToken.None);

        Assert.That(results.Select(r => r.Status), Is.EqualTo(new[] { RecordStatus.Recorded, RecordStatus.Duplicate }));
        var stored = await Store.GetEventsAsync(EventFilter.All, Pagination.None, CancellationToken.None).ToListAsync();
        Assert.That(stored.Select(e => (e.MessageId, e.EventType)), Is.EqualTo(new[] { ("1", "Foo") }));
    }

    [Test]
    public async Task RecordEvents_MessageIdAlreadyStored_IsDuplicateNotAnError()
    {
        await Store.RecordEventsAsync([FixtureS.Event(0)], CancellationToken.None);

        var results = await Store.RecordEventsAsync([FixtureS.Event(0), FixtureS.Event(1)], CancellationToken.None);

        Assert.That(results.Select(r => r.Status), Is.EqualTo(new[] { RecordStatus.Duplicate, RecordStatus.Recorded }));
        Assert.That(await CountAsync("event"), Is.EqualTo(2));
    }

    [Test]
    public async Task RecordEvents_InvalidEventsAmongValidOnes_EachInvalidHasAReasonAndTheValidOnesAreStored()
    {
        var events = new[]
        {
            FixtureS.Simple(new string('m', 256)),
            FixtureS.Simple("ok-1"),
            FixtureS.Simple("long-text", traits: Trait.String("t", new string('x', 256))),
            FixtureS.Simple("nan", traits: Trait.Float("f", double.NaN)),
            FixtureS.Simple("twice", traits: [Trait.Integer("n", 1), Trait.Integer("n", 2)]),
            FixtureS.Simple("ok-2", traits: Trait.String("t", new string('é', 255))),
            new Event { MessageId = "bad-raw", EventType = "X", Generated = FixtureS.T0, Raw = new byte[] { 0xff, 0xfe } },
        };

        var results = await Store.RecordEventsAsync(events, CancellationToken.None);

        Assert.That(results.Select(r => r.Status), Is.EqualTo(new[]
        {
            RecordStatus.Invalid, RecordStatus.Recorded, RecordStatus.Invalid, RecordStatus.Invalid, RecordStatus.Invalid, RecordStatus.Recorded, RecordStatus.Invalid,
        }));
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Reason, Does.Contain("message_id is 256 characters long; at most 255"));
            Assert.That(results[2].Reason, Does.Contain("trait 't' is 256 characters long"));
            Assert.That(results[3].Reason, Does.Contain("only finite floats"));
            Assert.That(results[4].Reason, Does.Contain("trait 'n' appears more than once"));
            Assert.That(results[6].Reason, Does.Contain("not valid UTF-8"));
        });
        var stored = await Store.GetEventsAsync(EventFilter.All, Pagination.None, CancellationToken.None).ToListAsync();
        Assert.That(stored.Select(e => e.MessageId), Is.EquivalentTo(new[] { "ok-1", "ok-2" }));
        Assert.That(stored.Single(e => e.MessageId == "ok-2").Traits.Single().StringValue, Has.Length.EqualTo(255));
    }

    [Test]
    public async Task RecordEvents_LargeIntegers_RoundTrip([Values(99_999_999_999_999L, long.MaxValue, long.MinValue)] long value)
    {
        await Store.RecordEventsAsync([FixtureS.Simple("big", traits: Trait.Integer("n", value))], CancellationToken.None);

        var stored = await Store.GetEventsAsync(new EventFilter { MessageId = "big" }, Pagination.None, CancellationToken.None).SingleAsync();

        Assert.That(stored.Traits.Single().IntegerValue, Is.EqualTo(value));
    }

    [Test]
    public async Task RecordEvents_EachTraitType_LandsInExactlyOneTable()
    {
        var cases = new (Trait Trait, string Table)[]
        {
            (Trait.String("a", "text"), "trait_text"),
            (Trait.Integer("a", 1), "trait_int"),
            (Trait.Float("a", 1.5), "trait_float"),
            (Trait.DateTime("a", FixtureS.T0), "trait_datetime"),
        };
        foreach (var (trait, table) in cases)
        {
            var store = await NewStoreAsync(Time);
            await store.UpgradeAsync(CancellationToken.None);
            await store.RecordEventsAsync([FixtureS.Simple("e", traits: trait)], CancellationToken.None);
            foreach (var (other, _) in TraitTable.All)
            {
                Assert.That(await CountAsync(store, other), Is.EqualTo(other == table ? 1 : 0), $"{trait.Type} in {other}");
            }
        }
    }

    [Test]
    public async Task RecordEvents_EventTypes_SameNameSharesOneRowAndDifferentNamesGetTheirOwn()
    {
        await Store.RecordEventsAsync([FixtureS.Simple("1", "Foo"), FixtureS.Simple("2", "Foo"), FixtureS.Simple("3", "Bar")], CancellationToken.None);
        await Store.RecordEventsAsync([FixtureS.Simple("4", "Foo")], CancellationToken.None);

        Assert.That(await CountAsync("event_type"), Is.EqualTo(2));
        Assert.That(await ScalarAsync("SELECT COUNT(DISTINCT event_type_id) FROM event"), Is.EqualTo(2));
    }

    [Test]
    public async Task RecordEvents_TimestampsKeepMicroseconds()
    {
        var generated = new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.Zero).AddTicks(1_234_567);
        await Store.RecordEventsAsync([FixtureS.Simple("us", generated: generated, traits: Trait.DateTime("d", generated.AddTicks(2)))], CancellationToken.None);

        var stored = await Store.GetEventsAsync(EventFilter.All, Pagination.None, CancellationToken.None).SingleAsync();

        var expected = generated.AddTicks(-(generated.Ticks % 10));
        Assert.That(stored.Generated, Is.EqualTo(expected));
        Assert.That(stored.Traits.Single().DateTimeValue, Is.EqualTo(expected));
    }

    // --- 9.2 get_events --------------------------------------------------------------------------------------------

    [Test]
    public async Task GetEvents_Window_ReturnsAllSixInGeneratedOrderWithTheirValues()
    {
        await LoadFixtureAsync();

        var events = await Query(Window());

        Assert.That(events.Select(e => e.MessageId), Is.EqualTo(Enumerable.Range(0, 6).Select(FixtureS.Id)));
        for (var i = 0; i < 6; i++)
        {
            Assert.That(events[i].Generated, Is.EqualTo(FixtureS.T0.AddHours(i)));
            Assert.That(events[i].Traits.Single(t => t.Name == "trait_D").DateTimeValue, Is.EqualTo(FixtureS.T0.AddHours(i)));
            Assert.That(events[i].Traits, Has.Count.EqualTo(4));
        }
    }

    [Test]
    public async Task GetEvents_ByType_ReturnsBothBarEventsWithTheirTraitsSortedByName()
    {
        await LoadFixtureAsync();

        var events = await Query(Window() with { EventType = "Bar" });

        Assert.That(events.Select(e => e.MessageId), Is.EqualTo(new[] { "id_Bar_100", "id_Bar_400" }));
        Assert.That(events[0].Traits, Is.EqualTo(new[]
        {
            Trait.String("trait_A", "my_Bar_text"), Trait.Integer("trait_B", 101), Trait.Float("trait_C", 100.123456), Trait.DateTime("trait_D", FixtureS.T0.AddHours(1)),
        }));
        Assert.That(events[1].Traits[1], Is.EqualTo(Trait.Integer("trait_B", 401)));
    }

    private static readonly object[] OperatorCases =
    [
        new object[] { TraitFilter.String("trait_A", "my_Foo_text"), new[] { 0, 3 } },
        new object[] { TraitFilter.String("trait_A", "my_Foo_text", FilterOperator.Lt), new[] { 1, 4 } },
        new object[] { TraitFilter.String("trait_A", "my_Foo_text", FilterOperator.Le), new[] { 0, 1, 3, 4 } },
        new object[] { TraitFilter.String("trait_A", "my_Foo_text", FilterOperator.Ne), new[] { 1, 2, 4, 5 } },
        new object[] { TraitFilter.String("trait_A", "my_Foo_text", FilterOperator.Gt), new[] { 2, 5 } },
        new object[] { TraitFilter.String("trait_A", "my_Foo_text", FilterOperator.Ge), new[] { 0, 2, 3, 5 } },
        new object[] { TraitFilter.Integer("trait_B", 101), new[] { 1 } },
        new object[] { TraitFilter.Integer("trait_B", 101, FilterOperator.Lt), new[] { 0 } },
        new object[] { TraitFilter.Integer("trait_B", 101, FilterOperator.Le), new[] { 0, 1 } },
        new object[] { TraitFilter.Integer("trait_B", 101, FilterOperator.Ne), new[] { 0, 2, 3, 4, 5 } },
        new object[] { TraitFilter.Integer("trait_B", 101, FilterOperator.Gt), new[] { 2, 3, 4, 5 } },
        new object[] { TraitFilter.Integer("trait_B", 101, FilterOperator.Ge), new[] { 1, 2, 3, 4, 5 } },
        new object[] { TraitFilter.Float("trait_C", 300.123456), new[] { 3 } },
        new object[] { TraitFilter.Float("trait_C", 300.123456, FilterOperator.Lt), new[] { 0, 1, 2 } },
        new object[] { TraitFilter.Float("trait_C", 300.123456, FilterOperator.Le), new[] { 0, 1, 2, 3 } },
        new object[] { TraitFilter.Float("trait_C", 300.123456, FilterOperator.Ne), new[] { 0, 1, 2, 4, 5 } },
        new object[] { TraitFilter.Float("trait_C", 300.123456, FilterOperator.Gt), new[] { 4, 5 } },
        new object[] { TraitFilter.Float("trait_C", 300.123456, FilterOperator.Ge), new[] { 3, 4, 5 } },
        new object[] { TraitFilter.DateTime("trait_D", FixtureS.T0.AddHours(2)), new[] { 2 } },
        new object[] { TraitFilter.DateTime("trait_D", FixtureS.T0.AddHours(2), FilterOperator.Lt), new[] { 0, 1 } },
        new object[] { TraitFilter.DateTime("trait_D", FixtureS.T0.AddHours(2), FilterOperator.Le), new[] { 0, 1, 2 } },
        new object[] { TraitFilter.DateTime("trait_D", FixtureS.T0.AddHours(2), FilterOperator.Ne), new[] { 0, 1, 3, 4, 5 } },
        new object[] { TraitFilter.DateTime("trait_D", FixtureS.T0.AddHours(2), FilterOperator.Gt), new[] { 3, 4, 5 } },
        new object[] { TraitFilter.DateTime("trait_D", FixtureS.T0.AddHours(2), FilterOperator.Ge), new[] { 2, 3, 4, 5 } },
    ];

    [TestCaseSource(nameof(OperatorCases))]
    public async Task GetEvents_TraitFilter_MatchesPankosOperatorTable(object filter, int[] expected)
    {
        await LoadFixtureAsync();

        var events = await Query(Window() with { TraitFilters = [(TraitFilter)filter] });

        Assert.That(events.Select(e => e.MessageId), Is.EqualTo(expected.Select(FixtureS.Id)));
        Assert.That(events.Select(e => e.Traits.Count), Is.All.EqualTo(4));
    }

    [Test]
    public async Task GetEvents_SeveralTraitFilters_AreAndedOnTheSameEvent()
    {
        await LoadFixtureAsync();

        var three = await Query(Window() with
        {
            TraitFilters = [TraitFilter.Integer("trait_B", 1), TraitFilter.Float("trait_C", 0.123456), TraitFilter.String("trait_A", "my_Foo_text")],
        });
        var none = await Query(Window() with { TraitFilters = [TraitFilter.Integer("trait_B", 1), TraitFilter.String("trait_A", "my_Zoo_text")] });
        var contradiction = await Query(Window() with
        {
            TraitFilters = [TraitFilter.String("trait_A", "my_Foo_text"), TraitFilter.String("trait_A", "my_Bar_text")],
        });

        Assert.That(three.Select(e => e.MessageId), Is.EqualTo(new[] { FixtureS.Id(0) }));
        Assert.That(none, Is.Empty);
        Assert.That(contradiction, Is.Empty);
    }

    [Test]
    public async Task GetEvents_TypedFilter_NeverMatchesATraitStoredAsAnotherType()
    {
        await LoadFixtureAsync();

        var asText = await Query(Window() with { TraitFilters = [TraitFilter.String("trait_B", "101")] });

        Assert.That(asText, Is.Empty);
    }

    [Test]
    public async Task GetEvents_NeOnlyMatchesEventsThatHaveTheTrait()
    {
        await LoadFixtureAsync();
        await Store.RecordEventsAsync([FixtureS.Simple("lacks-A", traits: Trait.Integer("other", 1))], CancellationToken.None);

        var events = await Query(new EventFilter { TraitFilters = [TraitFilter.String("trait_A", "nothing", FilterOperator.Ne)] });

        Assert.That(events.Select(e => e.MessageId), Does.Not.Contain("lacks-A"));
        Assert.That(events, Has.Count.EqualTo(6));
    }

    [Test]
    public async Task GetEvents_EventWithoutTraits_ComesBackWithNoTraits()
    {
        await LoadFixtureAsync();
        await Store.RecordEventsAsync([FixtureS.Simple("id_notraits", "NoTraits")], CancellationToken.None);

        var events = await Query(Window() with { EventType = "NoTraits" });

        Assert.That(events.Single().Traits, Is.Empty);
    }

    [Test]
    public async Task GetEvents_EmptyFilter_ReturnsEverything()
    {
        await LoadFixtureAsync();

        Assert.That(await Query(EventFilter.All), Has.Count.EqualTo(6));
    }

    [Test]
    public async Task GetEvents_ByMessageIdOnly_ReturnsExactlyThatEvent()
    {
        await LoadFixtureAsync();
        await Store.RecordEventsAsync([FixtureS.Simple("id_testid", "MessageIDTest")], CancellationToken.None);

        var events = await Query(new EventFilter { MessageId = "id_testid" });

        Assert.That(events.Select(e => e.EventType), Is.EqualTo(new[] { "MessageIDTest" }));
    }

    [Test]
    public async Task GetEvents_Raw_RoundTripsByteForByte()
    {
        await LoadFixtureAsync();

        var first = (await Query(Window()))[0];

        Assert.That(Encoding.UTF8.GetString(first.Raw.Span), Is.EqualTo("""{"status":{"nested":"started"}}"""));
    }

    [Test]
    public async Task GetEvents_FalsyValues_KeepTheirTypes()
    {
        await Store.RecordEventsAsync(
            [FixtureS.Simple("falsy", traits: [Trait.String("t", string.Empty), Trait.Integer("i", 0), Trait.Float("f", 0.0), Trait.None("n")])],
            CancellationToken.None);

        var traits = (await Query(EventFilter.All)).Single().Traits;

        Assert.That(traits, Is.EqualTo(new[] { Trait.Float("f", 0.0), Trait.Integer("i", 0), Trait.None("n"), Trait.String("t", string.Empty) }));
    }

    [Test]
    public async Task GetEvents_StartAndEnd_AreBothInclusive()
    {
        await LoadFixtureAsync();

        var events = await Query(new EventFilter { StartTimestamp = FixtureS.T0.AddHours(1), EndTimestamp = FixtureS.T0.AddHours(3) });

        Assert.That(events.Select(e => e.MessageId), Is.EqualTo(new[] { FixtureS.Id(1), FixtureS.Id(2), FixtureS.Id(3) }));
    }

    [Test]
    public async Task GetEvents_Limit_CountsEventsNotTraits()
    {
        await LoadFixtureAsync();

        Assert.That(await Query(EventFilter.All, new Pagination(Limit: 4)), Has.Count.EqualTo(4));
        Assert.That(await Query(EventFilter.All, new Pagination(Limit: 0)), Is.Empty);
    }

    [Test]
    public async Task GetEvents_SortByMessageId_BothDirections()
    {
        await LoadFixtureAsync();
        var ids = Enumerable.Range(0, 6).Select(FixtureS.Id).Order(StringComparer.Ordinal).ToList();

        var asc = await Query(EventFilter.All, new Pagination(Sort: [new SortOrder(SortKey.MessageId)]));
        var desc = await Query(EventFilter.All, new Pagination(Sort: [new SortOrder(SortKey.MessageId, Descending: true)]));

        Assert.That(asc.Select(e => e.MessageId), Is.EqualTo(ids));
        Assert.That(desc.Select(e => e.MessageId), Is.EqualTo(Enumerable.Reverse(ids)));
    }

    [Test]
    public async Task GetEvents_SortGeneratedDescending_WithMarkerPagesForwardToTheEnd()
    {
        await LoadFixtureAsync();
        var sort = new[] { new SortOrder(SortKey.Generated, Descending: true) };
        var seen = new List<string>();
        string? marker = null;
        for (var page = 0; page < 10; page++)
        {
            var events = await Query(EventFilter.All, new Pagination(Limit: 4, Marker: marker, Sort: sort));
            if (events.Count == 0)
            {
                break;
            }

            seen.AddRange(events.Select(e => e.MessageId));
            marker = events[^1].MessageId;
        }

        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 6).Reverse().Select(FixtureS.Id)));
    }

    [Test]
    public async Task GetEvents_EqualTimestamps_PageWithoutSkippingOrRepeating()
    {
        var events = Enumerable.Range(0, 7).Select(i => FixtureS.Simple($"same-{i}")).ToList();
        await Store.RecordEventsAsync(events, CancellationToken.None);
        var seen = new List<string>();
        string? marker = null;
        for (var page = 0; page < 10; page++)
        {
            var got = await Query(EventFilter.All, new Pagination(Limit: 3, Marker: marker, Sort: [new SortOrder(SortKey.Generated)]));
            if (got.Count == 0)
            {
                break;
            }

            seen.AddRange(got.Select(e => e.MessageId));
            marker = got[^1].MessageId;
        }

        Assert.That(seen, Is.EqualTo(events.Select(e => e.MessageId)));
    }

    [Test]
    public async Task GetEvents_UnknownMarker_ThrowsInvalidMarker()
    {
        await LoadFixtureAsync();

        var ex = Assert.ThrowsAsync<InvalidMarkerException>(() => Query(EventFilter.All, new Pagination(Marker: "no-such-id")));
        Assert.That(ex!.Message, Is.EqualTo("Marker no-such-id not found."));
    }

    [Test]
    public async Task GetEvents_MoreEventsThanOneChunk_StreamsAllInOrder()
    {
        var events = Enumerable.Range(0, SqlEventStore.ChunkSize * 2 + 37)
            .Select(i => FixtureS.Simple(i.ToString("D5", CultureInfo.InvariantCulture), generated: FixtureS.T0.AddSeconds(i), traits: Trait.Integer("i", i)))
            .ToList();
        await Store.RecordEventsAsync(events, CancellationToken.None);

        var all = await Query(EventFilter.All);
        var limited = await Query(EventFilter.All, new Pagination(Limit: SqlEventStore.ChunkSize + 3));

        Assert.That(all.Select(e => e.MessageId), Is.EqualTo(events.Select(e => e.MessageId)));
        Assert.That(all.Select(e => e.Traits.Single().IntegerValue), Is.EqualTo(Enumerable.Range(0, events.Count).Select(i => (long)i)));
        Assert.That(limited, Has.Count.EqualTo(SqlEventStore.ChunkSize + 3));
    }

    [Test]
    public async Task GetEvents_AdminProject_SeesItsProjectAndEventsWithoutProjectEvenWithoutTextTraits()
    {
        await Store.RecordEventsAsync(
        [
            FixtureS.Simple("1", "empty_ev", traits: Trait.String("random", "blah")),
            FixtureS.Simple("2", "admin_ev", traits: [Trait.String("project_id", "ADMIN_P"), Trait.String("user_id", "ADMIN_U")]),
            FixtureS.Simple("3", "user_ev", traits: [Trait.String("project_id", "P"), Trait.String("user_id", "U")]),
            FixtureS.Simple("4", "numbers_only", traits: Trait.Integer("n", 1)),
        ], CancellationToken.None);

        var admin = await Query(new EventFilter { AdminProject = "ADMIN_P" });
        var everyone = await Query(EventFilter.All);

        Assert.That(admin.Select(e => e.MessageId), Is.EquivalentTo(new[] { "1", "2", "4" }));
        Assert.That(everyone, Has.Count.EqualTo(4));
    }

    // --- 9.3 types and traits ----------------------------------------------------------------------------------------

    [Test]
    public async Task GetEventTypes_ReturnsEachTypeOnceSorted()
    {
        await LoadFixtureAsync();

        Assert.That(await Store.GetEventTypesAsync(CancellationToken.None).ToListAsync(), Is.EqualTo(new[] { "Bar", "Foo", "Zoo" }));
    }

    [Test]
    public async Task GetTraitTypes_KnownAndUnknownType()
    {
        await LoadFixtureAsync();

        var foo = await Store.GetTraitTypesAsync("Foo", CancellationToken.None).ToListAsync();
        var moo = await Store.GetTraitTypesAsync("Moo", CancellationToken.None).ToListAsync();

        Assert.That(foo, Is.EqualTo(new[]
        {
            new TraitDescription("trait_A", TraitType.String), new TraitDescription("trait_B", TraitType.Integer),
            new TraitDescription("trait_C", TraitType.Float), new TraitDescription("trait_D", TraitType.DateTime),
        }));
        Assert.That(moo, Is.Empty);
    }

    [Test]
    public async Task GetTraits_AllInstancesOfAType_InTableOrderThenByName()
    {
        await LoadFixtureAsync();

        var bar = await Store.GetTraitsAsync("Bar", null, CancellationToken.None).ToListAsync();
        var fooB = await Store.GetTraitsAsync("Foo", "trait_B", CancellationToken.None).ToListAsync();

        Assert.That(bar, Has.Count.EqualTo(8));
        Assert.That(bar[0], Is.EqualTo(Trait.String("trait_A", "my_Bar_text")));
        Assert.That(bar.DistinctBy(t => t.Name).ToDictionary(t => t.Name, t => t.Type), Is.EqualTo(new Dictionary<string, TraitType>
        {
            ["trait_A"] = TraitType.String, ["trait_B"] = TraitType.Integer, ["trait_C"] = TraitType.Float, ["trait_D"] = TraitType.DateTime,
        }));
        Assert.That(fooB, Is.EquivalentTo(new[] { Trait.Integer("trait_B", 1), Trait.Integer("trait_B", 301) }));
        Assert.That(await Store.GetTraitsAsync("Foo", "nope", CancellationToken.None).ToListAsync(), Is.Empty);
    }

    // --- 9.4 TTL ------------------------------------------------------------------------------------------------------

    [Test]
    public async Task ClearExpiredData_DeletesOlderThanCutoffWithTheirTraitsAndOrphanTypes()
    {
        await LoadFixtureAsync();
        Time.SetUtcNow(FixtureS.T0.AddHours(5));

        var deleted = await Store.ClearExpiredDataAsync(TimeSpan.FromHours(1), null, CancellationToken.None);

        Assert.That(deleted, Is.EqualTo(4));
        Assert.That((await Query(EventFilter.All)).Select(e => e.MessageId), Is.EqualTo(new[] { FixtureS.Id(4), FixtureS.Id(5) }));
        Assert.That(await Store.GetEventTypesAsync(CancellationToken.None).ToListAsync(), Is.EqualTo(new[] { "Bar", "Zoo" }));
        foreach (var type in new[] { "Bar", "Zoo" })
        {
            Assert.That(await Store.GetTraitTypesAsync(type, CancellationToken.None).ToListAsync(), Has.Count.EqualTo(4));
            Assert.That(await Store.GetTraitsAsync(type, null, CancellationToken.None).ToListAsync(), Has.Count.EqualTo(4));
        }

        Assert.That(await CountAsync("trait_int"), Is.EqualTo(2));
    }

    [Test]
    public async Task ClearExpiredData_MaxCount_DeletesAtMostThatMany()
    {
        await LoadFixtureAsync();

        var deleted = await Store.ClearExpiredDataAsync(TimeSpan.FromHours(1), 3, CancellationToken.None);
        var again = await Store.ClearExpiredDataAsync(TimeSpan.FromHours(1), 3, CancellationToken.None);

        Assert.That((deleted, again), Is.EqualTo((3L, 1L)));
        Assert.That(await CountAsync("event"), Is.EqualTo(2));
    }

    // --- migrations -----------------------------------------------------------------------------------------------------

    [Test]
    public async Task Upgrade_Twice_SecondFindsItUpToDate()
    {
        var fresh = await NewStoreAsync(Time);

        var first = await fresh.UpgradeAsync(CancellationToken.None);
        var second = await fresh.UpgradeAsync(CancellationToken.None);

        Assert.That(first, Is.EqualTo(new SchemaUpgrade(0, 1)));
        Assert.That(second, Is.EqualTo(new SchemaUpgrade(1, 1)));
    }

    [Test]
    public async Task Upgrade_SchemaNewerThanThisDaemon_IsRefusedWithAClearMessage()
    {
        await ExecuteAsync(Store, "INSERT INTO gordon_schema_version (version, description, applied) SELECT 99, 'from the future', applied FROM gordon_schema_version WHERE version = 1");

        var ex = Assert.ThrowsAsync<SchemaVersionException>(() => Store.UpgradeAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("has schema version 99, but this daemon knows versions up to 1"));
    }

    // --- concurrency and failure ------------------------------------------------------------------------------------------

    [Test]
    [CancelAfter(120_000)]
    public async Task RecordEvents_FourConcurrentWriters_LoseNothingAndStoreEachIdOnce(CancellationToken cancellationToken)
    {
        // Writers overlap on half their ids, so duplicates race too.
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(
            async () =>
            {
                var recorded = new List<string>();
                for (var batch = 0; batch < 10; batch++)
                {
                    var events = Enumerable.Range(0, 25)
                        .Select(i => batch * 25 + i)
                        .Select(n => FixtureS.Simple(n % 2 == 0 ? $"shared-{n}" : $"w{w}-{n}", $"type-{n % 3}", FixtureS.T0.AddSeconds(n), Trait.Integer("n", n)))
                        .ToList();
                    var results = await Store.RecordEventsAsync(events, cancellationToken);
                    Assert.That(results.Select(r => r.Status), Is.All.AnyOf(RecordStatus.Recorded, RecordStatus.Duplicate), string.Join("; ", results.Select(r => r.Reason)));
                    recorded.AddRange(results.Where(r => r.Status == RecordStatus.Recorded).Select(r => r.MessageId));
                }

                return recorded;
            },
            cancellationToken)).ToList();

        var recordedByAll = (await Task.WhenAll(writers)).SelectMany(r => r).ToList();
        var stored = await Query(EventFilter.All);

        var expected = Enumerable.Range(0, 250).Where(n => n % 2 == 0).Select(n => $"shared-{n}")
            .Concat(Enumerable.Range(0, 4).SelectMany(w => Enumerable.Range(0, 250).Where(n => n % 2 == 1).Select(n => $"w{w}-{n}")));
        Assert.That(stored.Select(e => e.MessageId), Is.EquivalentTo(expected));
        Assert.That(recordedByAll, Is.EquivalentTo(expected), "each stored id was recorded by exactly one writer");
        Assert.That(stored.Select(e => e.Traits.Count), Is.All.EqualTo(1));
    }

    [Test]
    public async Task RecordEvents_DatabaseUnreachable_EveryEventFailsWithAReasonAndNothingThrows()
    {
        await using var store = CreateUnreachableStore(Time);

        var results = await store.RecordEventsAsync([FixtureS.Event(0), FixtureS.Event(1)], CancellationToken.None);

        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(RecordStatus.Failed));
        Assert.That(results[0].Reason, Is.Not.Empty);
    }

    /// <summary>A store over a fresh, empty database (not yet upgraded).</summary>
    private protected abstract Task<SqlEventStore> CreateStoreAsync(FakeTimeProvider time);

    /// <summary>A store whose database cannot be reached.</summary>
    private protected abstract SqlEventStore CreateUnreachableStore(FakeTimeProvider time);

    private protected async Task<SqlEventStore> NewStoreAsync(FakeTimeProvider time)
    {
        var store = await CreateStoreAsync(time);
        _stores.Add(store);
        return store;
    }

    private protected Task LoadFixtureAsync() => Store.RecordEventsAsync(FixtureS.All(), CancellationToken.None);

    private protected Task<long> CountAsync(string table) => CountAsync(Store, table);

    private protected Task<List<Event>> Query(EventFilter filter, Pagination? pagination = null) =>
        Store.GetEventsAsync(filter, pagination ?? Pagination.None, CancellationToken.None).ToListAsync().AsTask();

    private static EventFilter Window() => new() { StartTimestamp = FixtureS.T0, EndTimestamp = FixtureS.T0.AddHours(6) };

    private static Task<long> CountAsync(SqlEventStore store, string table) => ScalarAsync(store, $"SELECT COUNT(*) FROM {table}");

    private Task<long> ScalarAsync(string sql) => ScalarAsync(Store, sql);

    private static async Task<long> ScalarAsync(SqlEventStore store, string sql)
    {
        await using DbConnection connection = await store.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqlEventStore store, string sql)
    {
        await using DbConnection connection = await store.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
