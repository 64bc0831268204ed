using System.Net;
using System.Text.Json;
using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Events;
using Gordon.Plugins.Storage.Tests.Support;

namespace Gordon.Plugins.Storage.Tests.Api;

/// <summary>
/// Panko's v2 API cases (§9.5) with our fixture data, through the real HTTP pipeline (Kestrel on loopback), run per
/// backend by the derived fixtures.
/// </summary>
public abstract class StorageApiContract
{
    private const string AdminToken = "admin-token-0123456789";
    private const string MemberToken = "member-token-0123456789";
    private const string StrangerToken = "stranger-token-0123456789";
    private static readonly DateTimeOffset Day0 = new(2013, 12, 31, 5, 0, 0, TimeSpan.Zero);

    private PluginHarness _harness = null!;
    private ApiHost _host = null!;

    private static readonly object[] OpMatrix =
    [
        new object[] { "trait_A", "eq", "my_Foo_text", "string", 1 }, new object[] { "trait_A", "lt", "my_Bar_text", "string", 0 },
        new object[] { "trait_A", "le", "my_Zoo_text", "string", 3 }, new object[] { "trait_A", "ne", "my_Foo_text", "string", 2 },
        new object[] { "trait_A", "gt", "my_Bar_text", "string", 2 }, new object[] { "trait_A", "ge", "my_Zoo_text", "string", 1 },
        new object[] { "trait_B", "eq", "101", "integer", 1 }, new object[] { "trait_B", "lt", "201", "integer", 2 },
        new object[] { "trait_B", "le", "1", "integer", 1 }, new object[] { "trait_B", "ne", "101", "integer", 2 },
        new object[] { "trait_B", "gt", "201", "integer", 0 }, new object[] { "trait_B", "ge", "1", "integer", 3 },
        new object[] { "trait_C", "eq", "100.123456", "float", 1 }, new object[] { "trait_C", "lt", "200.123456", "float", 2 },
        new object[] { "trait_C", "le", "0.123456", "float", 1 }, new object[] { "trait_C", "ne", "100.123456", "float", 2 },
        new object[] { "trait_C", "gt", "200.123456", "float", 0 }, new object[] { "trait_C", "ge", "0.123456", "float", 3 },
        new object[] { "trait_D", "eq", "2014-01-01T05:00:00", "datetime", 1 }, new object[] { "trait_D", "lt", "2014-01-02T05:00:00", "datetime", 2 },
        new object[] { "trait_D", "le", "2013-12-31T05:00:00", "datetime", 1 }, new object[] { "trait_D", "ne", "2014-01-01T05:00:00", "datetime", 2 },
        new object[] { "trait_D", "gt", "2014-01-02T05:00:00", "datetime", 0 }, new object[] { "trait_D", "ge", "2013-12-31T05:00:00", "datetime", 3 },
    ];

    private static readonly object[] BadRequests =
    [
        new object[] { "q.field=trait_A&q.value=x&q.type=whats-up", "The data type whats-up is not supported. The supported data type list is: ['integer', 'float', 'string', 'datetime']" },
        new object[] { "q.field=trait_A&q.value=x&q.op=whats-up", "Operator whats-up is not supported. The supported operators are: ('lt', 'le', 'eq', 'ne', 'ge', 'gt')" },
        new object[] { "q.field=trait_A&q.value=x&q.op=el", "Operator el is not supported." },
        new object[] { "q.field=trait_B&q.value=abc&q.type=integer", "Unable to convert the value abc to the expected data type integer." },
        new object[] { "q.field=trait_D&q.value=&q.type=datetime", "It is the q.value of q.field trait_D." },
        new object[] { "q.field=&q.value=x", "q.field number 1 is empty" },
        new object[] { "q.field=trait_A&q.value=x%00y", "q.value contains a NUL character" },
        new object[] { "marker=%00", "marker contains a NUL character" },
        new object[] { "q.field=start_timestamp&q.value=2014-01-01T00:00&q.op=gt", "Only `ge' operator is available for field start_timestamp" },
        new object[] { "q.field=end_timestamp&q.value=2014-01-01T00:00&q.op=gt", "Only `le' operator is available for field end_timestamp" },
        new object[] { "q.field=event_type&q.value=Foo&q.op=ne", "Only `eq' operator is available for field event_type" },
        new object[] { "limit=-2", "Invalid input for field/attribute limit. Value: '-2'. the limit should be a positive integer." },
        new object[] { "sort=invalid_key:desc", "Invalid input for field/attribute sort. Value: 'invalid_key:desc'. the sort parameter should be a pair of sort key and sort dir combined with ':', or only sort key specified and sort dir will be default 'asc', the supported sort keys are: ('message_id', 'generated')" },
        new object[] { "sort=message_id:bah", "Invalid input for field/attribute sort direction. Value: 'message_id:bah'." },
        new object[] { "marker=no-such-id", "Invalid input for field/attribute marker. Marker no-such-id not found." },
        new object[] { "bad_Stuff_here=1", "Unknown argument: \"bad_Stuff_here\"" },
    ];

    [SetUp]
    public async Task StartAsync()
    {
        _harness = new PluginHarness(
            ("url", await UrlAsync()),
            ("api", Table("storage.api", ("default_limit", 10L), ("tokens", Tokens()))));
        await _harness.Plugin.StartAsync(CancellationToken.None);
        _host = await ApiHost.StartAsync(_harness.Plugin);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Test]
    public async Task Events_All_ThreeWithTraitsRawAndGeneratedAscending()
    {
        await LoadFixtureAAsync();

        var events = await GetArrayAsync("/v2/events");

        Assert.That(events.Select(e => e.GetProperty("generated").GetString()), Is.EqualTo(new[] { "2013-12-31T05:00:00", "2014-01-01T05:00:00", "2014-01-02T05:00:00" }));
        Assert.That(events.Select(e => e.GetProperty("traits").GetArrayLength()), Is.All.EqualTo(4));
        Assert.That(events[0].GetProperty("raw").GetRawText(), Is.EqualTo("""{"status":{"nested":"started"}}"""));
    }

    [Test]
    public async Task Event_ById_HasPankosShape()
    {
        await LoadFixtureAAsync();

        var response = await _host.Client.GetAsync("/v2/events/100");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(JsonDocument.Parse(body).RootElement.GetRawText(), Is.EqualTo(
            """{"message_id":"100","event_type":"Bar","generated":"2014-01-01T05:00:00","traits":[{"name":"trait_A","value":"my_Bar_text","type":"string"},{"name":"trait_B","value":"101","type":"integer"},{"name":"trait_C","value":"100.123456","type":"float"},{"name":"trait_D","value":"2014-01-01T05:00:00","type":"datetime"}],"raw":{"status":{"nested":"started"}}}"""));
    }

    [Test]
    public async Task Event_Unknown_Is404WithPankosErrorShape()
    {
        await LoadFixtureAAsync();

        var (status, fault) = await ErrorAsync("/v2/events/DNE");

        Assert.That((status, fault), Is.EqualTo((HttpStatusCode.NotFound, "Event DNE Not Found")));
    }

    [TestCase("q.field=event_type&q.value=Foo", 1)]
    [TestCase("q.field=trait_A&q.value=my_Foo_text", 1)]
    [TestCase("q.field=trait_A&q.value=my_Foo_text&q.type=", 1)]
    [TestCase("q.field=trait_A&q.value=my_Foo_text&q.type=string", 1)]
    [TestCase("q.field=start_timestamp&q.value=2014-01-01T00:00&q.op=ge", 2)]
    [TestCase("q.field=end_timestamp&q.value=2014-01-03T00:00&q.op=le", 3)]
    [TestCase("q.field=start_timestamp&q.value=2014-01-02T00:00&q.field=end_timestamp&q.value=2014-01-03T10:00", 1)]
    [TestCase("q.field=trait_B&q.value=1&q.type=integer&q.field=trait_A&q.value=my_Foo_text&q.type=string", 1)]
    [TestCase("q.field=trait_B&q.value=101&q.type=integer&q.field=trait_A&q.value=my_Foo_text&q.type=string", 0)]
    [TestCase("q.field=trait_A&q.value=my_Foo_text&q.field=trait_A&q.value=my_Bar_text", 0)]
    [TestCase("q.field=no_such_trait&q.value=x", 0)]
    [TestCase("", 3)]
    public async Task Events_Query_Counts(string query, int count)
    {
        await LoadFixtureAAsync();

        Assert.That(await GetArrayAsync("/v2/events?" + query), Has.Count.EqualTo(count));
    }

    [TestCaseSource(nameof(OpMatrix))]
    public async Task Events_OperatorMatrix(string field, string op, string value, string type, int count)
    {
        await LoadFixtureAAsync();

        var events = await GetArrayAsync($"/v2/events?q.field={field}&q.op={op}&q.value={Uri.EscapeDataString(value)}&q.type={type}");

        Assert.That(events, Has.Count.EqualTo(count));
    }

    [Test]
    public async Task Events_TypedFilter_EchoesTheValueAsAString()
    {
        await LoadFixtureAAsync();

        var events = await GetArrayAsync("/v2/events?q.field=trait_C&q.value=200.123456&q.type=float");

        Assert.That(events.Single().GetProperty("event_type").GetString(), Is.EqualTo("Zoo"));
        var trait = events.Single().GetProperty("traits").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "trait_C");
        Assert.That((trait.GetProperty("type").GetString(), trait.GetProperty("value").GetString()), Is.EqualTo(("float", "200.123456")));
    }

    [TestCaseSource(nameof(BadRequests))]
    public async Task Events_BadQuery_Is400NamingTheProblem(string query, string message)
    {
        await LoadFixtureAAsync();

        var (status, fault) = await ErrorAsync("/v2/events?" + query);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(fault, Does.Contain(message));
    }

    [Test]
    public async Task Events_Limit_DefaultFromConfigAndExplicit()
    {
        var events = Enumerable.Range(0, 20).Select(i => FixtureS.Simple(Guid.NewGuid().ToString(), "foo.bar", Day0.AddSeconds(i))).ToList();
        await _harness.Plugin.Store!.RecordEventsAsync(events, CancellationToken.None);

        Assert.That(await GetArrayAsync("/v2/events?limit=1"), Has.Count.EqualTo(1));
        Assert.That(await GetArrayAsync("/v2/events?limit=100"), Has.Count.EqualTo(20));
        Assert.That(await GetArrayAsync("/v2/events"), Has.Count.EqualTo(10));
        Assert.That(await GetArrayAsync("/v2/events?limit=0"), Has.Count.EqualTo(10));
    }

    [TestCase("limit=3&sort=generated:desc&sort=message_id", new[] { "200", "100", "0" })]
    [TestCase("limit=3&sort=generated:asc&sort=message_id", new[] { "0", "100", "200" })]
    [TestCase("sort=message_id:desc", new[] { "200", "100", "0" })]
    [TestCase("sort=message_id:asc", new[] { "0", "100", "200" })]
    [TestCase("limit=1&sort=message_id:asc", new[] { "0" })]
    [TestCase("limit=3&marker=0&sort=message_id:asc", new[] { "100", "200" })]
    public async Task Events_SortAndMarker(string query, string[] ids)
    {
        await LoadFixtureAAsync();

        var events = await GetArrayAsync("/v2/events?" + query);

        Assert.That(events.Select(e => e.GetProperty("message_id").GetString()), Is.EqualTo(ids));
    }

    [Test]
    public async Task Events_MarkerPaging_ReachesTheEnd()
    {
        var events = Enumerable.Range(0, 25).Select(i => FixtureS.Simple($"p{i:D2}", "page", Day0.AddSeconds(i % 5))).ToList();
        await _harness.Plugin.Store!.RecordEventsAsync(events, CancellationToken.None);
        var seen = new List<string>();
        var marker = string.Empty;
        for (var page = 0; page < 10; page++)
        {
            var got = await GetArrayAsync($"/v2/events?limit=7&sort=generated:desc{(marker.Length > 0 ? "&marker=" + marker : string.Empty)}");
            if (got.Count == 0)
            {
                break;
            }

            seen.AddRange(got.Select(e => e.GetProperty("message_id").GetString()!));
            marker = seen[^1];
        }

        Assert.That(seen, Is.EquivalentTo(events.Select(e => e.MessageId)));
        Assert.That(seen, Is.Unique);
    }

    [Test]
    public async Task EventTypesAndTraits_AsPanko()
    {
        await LoadFixtureAAsync();

        Assert.That((await GetArrayAsync("/v2/event_types")).Select(e => e.GetString()), Is.EqualTo(new[] { "Bar", "Foo", "Zoo" }));
        Assert.That(await GetArrayAsync("/v2/event_types/Foo/traits"), Has.Count.EqualTo(4));
        Assert.That(await GetArrayAsync("/v2/event_types/NO_SUCH_EVENT_TYPE/traits"), Is.Empty);
        var traitA = await GetArrayAsync("/v2/event_types/Foo/traits/trait_A");
        Assert.That(traitA.Single().GetProperty("name").GetString(), Is.EqualTo("trait_A"));
        Assert.That((await GetArrayAsync("/v2/event_types/Foo/traits/trait_B")).Single().GetProperty("value").GetString(), Is.EqualTo("1"));
        Assert.That((await GetArrayAsync("/v2/event_types/Foo/traits/trait_D")).Single().GetProperty("value").GetString(), Is.EqualTo("2013-12-31T05:00:00"));
        Assert.That(await GetArrayAsync("/v2/event_types/Foo/traits/nope"), Is.Empty);
        Assert.That((await ErrorAsync("/v2/event_types/Foo")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Capabilities_SqlStoreIsProductionReady()
    {
        var body = JsonDocument.Parse(await _host.Client.GetStringAsync("/v2/capabilities")).RootElement.GetRawText();

        Assert.That(body, Is.EqualTo("""{"api":{"events:query:simple":true},"event_storage":{"storage:production_ready":true}}"""));
    }

    [Test]
    public async Task Access_WithTokensRequired_ScopesEachRoleAsPanko()
    {
        await using var harness = new PluginHarness(
            ("url", await UrlAsync()),
            ("api", Table("storage.api", ("access_control", "on"), ("tokens", Tokens()))));
        await harness.Plugin.StartAsync(CancellationToken.None);
        await using var host = await ApiHost.StartAsync(harness.Plugin);
        await harness.Plugin.Store!.RecordEventsAsync(
        [
            FixtureS.Simple("1", "empty_ev", Day0, Trait.String("random", "blah")),
            FixtureS.Simple("2", "admin_ev", Day0, Trait.String("project_id", "ADMIN_P"), Trait.String("user_id", "ADMIN_U")),
            FixtureS.Simple("3", "user_ev", Day0, Trait.String("project_id", "P"), Trait.String("user_id", "U")),
        ], CancellationToken.None);

        async Task<(HttpStatusCode, string)> Get(string path, string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await host.Client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        int Count(string body) => JsonDocument.Parse(body).RootElement.GetArrayLength();

        Assert.Multiple(async () =>
        {
            Assert.That((await Get("/v2/events", null)).Item1, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await Get("/v2/events", "wrong-token-0123456789")).Item1, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(Count((await Get("/v2/events", MemberToken)).Item2), Is.EqualTo(1));
            Assert.That((await Get("/v2/events/3", MemberToken)).Item1, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await Get("/v2/events/2", MemberToken)).Item1, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(Count((await Get("/v2/events", StrangerToken)).Item2), Is.Zero);
            Assert.That((await Get("/v2/event_types", MemberToken)).Item1, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await Get("/v2/events?all_tenants=true", MemberToken)).Item1, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(Count((await Get("/v2/events", AdminToken)).Item2), Is.EqualTo(2));
            Assert.That(Count((await Get("/v2/events?q.field=random&q.value=blah", AdminToken)).Item2), Is.EqualTo(1));
            Assert.That((await Get("/v2/events/1", AdminToken)).Item1, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await Get("/v2/events/2", AdminToken)).Item1, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Count((await Get("/v2/events?q.field=all_tenants&q.value=True", AdminToken)).Item2), Is.EqualTo(3));
            Assert.That(Count((await Get("/v2/events?q.field=user_id&q.value=U", AdminToken)).Item2), Is.Zero);
            Assert.That((await Get("/v2/event_types", AdminToken)).Item1, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Access_Auto_ListeningBeyondLoopbackWithoutTokens_RefusesAndWarns()
    {
        await using var harness = new PluginHarness(new FakeDaemon("0.0.0.0:8080"), ("url", await UrlAsync()));
        await harness.Plugin.StartAsync(CancellationToken.None);
        await using var host = await ApiHost.StartAsync(harness.Plugin);

        using var response = await host.Client.GetAsync("/v2/events");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(harness.Plugin.ConfigWarnings, Has.One.Contains("[core.http] listen is not a loopback address and [storage.api] has no tokens"));
        Assert.That(harness.Config.Problems.Where(p => p.IsWarning).Select(p => p.Message), Has.One.Contains("[storage.api] has no tokens"));
        Assert.That(harness.Config.HasErrors, Is.False);
    }

    [Test]
    public async Task Access_Auto_LoopbackDaemon_NeedsNoToken()
    {
        await using var harness = new PluginHarness(new FakeDaemon("127.0.0.1:8080"), ("url", await UrlAsync()));
        await harness.Plugin.StartAsync(CancellationToken.None);
        await using var host = await ApiHost.StartAsync(harness.Plugin);

        using var response = await host.Client.GetAsync("/v2/events");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(harness.Plugin.ConfigWarnings, Is.Empty);
    }

    /// <summary>The store URL of a fresh, empty database.</summary>
    private protected abstract Task<string> UrlAsync();

    private static ConfigTable Table(string path, params (string Key, object Value)[] values) => PluginHarness.Table(path, values);

    private static ConfigArray Tokens() => new(new[]
    {
        Table("storage.api.tokens", ("token", AdminToken), ("role", "admin"), ("project_id", "ADMIN_P"), ("user_id", "ADMIN_U")),
        Table("storage.api.tokens", ("token", MemberToken), ("role", "project:P"), ("user_id", "U")),
        Table("storage.api.tokens", ("token", StrangerToken), ("role", "project:P"), ("user_id", "blah")),
    }.Select(t => new ConfigValue(t, null)));

    private async Task LoadFixtureAAsync()
    {
        var ids = new[] { "0", "100", "200" };
        var events = Enumerable.Range(0, 3).Select(i =>
        {
            var e = FixtureS.Event(i);
            var generated = Day0.AddDays(i);
            return new Event
            {
                MessageId = ids[i],
                EventType = e.EventType,
                Generated = generated,
                Raw = e.Raw,
                Traits = [e.Traits[0], e.Traits[1], e.Traits[2], Trait.DateTime("trait_D", generated)],
            };
        }).ToList();
        var results = await _harness.Plugin.Store!.RecordEventsAsync(events, CancellationToken.None);
        Assert.That(results.Select(r => r.Reason), Is.All.Null);
    }

    private async Task<List<JsonElement>> GetArrayAsync(string path)
    {
        using var response = await _host.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return [.. JsonDocument.Parse(body).RootElement.EnumerateArray()];
    }

    private async Task<(HttpStatusCode Status, string Fault)> ErrorAsync(string path)
    {
        using var response = await _host.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        var fault = JsonDocument.Parse(body).RootElement.GetProperty("error_message").GetProperty("faultstring").GetString()!;
        return (response.StatusCode, fault);
    }
}
