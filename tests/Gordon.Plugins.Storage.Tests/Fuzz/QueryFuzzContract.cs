using System.Net;
using System.Text.Json;
using CsCheck;
using Gordon.Abstractions.Events;
using Gordon.Plugins.Storage.Tests.Support;

namespace Gordon.Plugins.Storage.Tests.Fuzz;

/// <summary>
/// Seeded adversarial query strings against the events API on real Kestrel and a real store (issue 13 item 4):
/// <c>GET /v2/events</c>, <c>/v2/event_types</c> and <c>/v2/event_types/{type}/traits</c>; run per backend by the
/// derived fixtures.
/// </summary>
public abstract class QueryFuzzContract
{
    // CsCheck's seed of its generator (PCG stream 13, state 4): a failure prints the input and a rerun reproduces it.
    private const uint SeedStream = 13;
    private const ulong SeedState = 4;

    /// <summary>The run stops after this many seconds (the inputs tried are counted and printed).</summary>
    private const int Seconds = 12;

    /// <summary>Kestrel's default request-line limit: a longer query is refused (414) before the API sees it.</summary>
    private const int RequestLineLimit = 8 * 1024;

    [Test]
    [CancelAfter(90_000)]
    public async Task Get_SeededAdversarialQueries_NeverAnswer5xx_RejectWithAJsonErrorNamingTheParameter_AndLoseNoStoredEvent(CancellationToken cancellationToken)
    {
        await using var harness = new PluginHarness(("url", await UrlAsync()));
        await harness.Plugin.StartAsync(cancellationToken);
        await using var host = await ApiHost.StartAsync(harness.Plugin);
        var stored = StoredEvents();
        var recorded = await harness.Plugin.Store!.RecordEventsAsync(stored, cancellationToken);
        Assert.That(recorded.Select(r => r.IsStored), Is.All.True, string.Join(", ", recorded));
        var tally = new Tally();

        await Check.SampleAsync(
            QueryInputs.All,
            input => SendAsync(host.Client, input, tally, cancellationToken),
            writeLine: line => TestContext.Out.WriteLine(line),
            seed: new PCG(SeedStream, SeedState).ToString(),
            iter: 1_000_000,
            time: Seconds,
            threads: 1,
            print: input => input.ToString());

        await TestContext.Out.WriteLineAsync(
            $"fuzzed the events API with {tally.Tried} inputs in {Seconds} s: {tally.Ok} answered 200 ({tally.ValidOk} of them well-formed queries), " +
            $"{tally.Rejected} rejected with a JSON error, {tally.RefusedByKestrel} refused by Kestrel before the API (request line over 8 KB, NUL in the path)");
        Assert.That(tally.Tried, Is.GreaterThan(500), "the run must try a meaningful number of inputs");
        Assert.That(tally.Rejected, Is.GreaterThan(tally.Tried / 10), "most garbage must be rejected, or the generator is not reaching the parser");
        Assert.That(tally.ValidOk, Is.GreaterThan(tally.Tried / 20), "well-formed queries must be among the inputs and succeed");

        // Nothing stored before the fuzzing was lost, and the server still answers.
        var all = await GetAsync(host.Client, "/v2/events?limit=1000", cancellationToken);
        Assert.That(all.Status, Is.EqualTo(HttpStatusCode.OK), all.Body);
        var ids = JsonDocument.Parse(all.Body).RootElement.EnumerateArray().Select(e => e.GetProperty("message_id").GetString()).ToList();
        Assert.That(ids, Is.EquivalentTo(stored.Select(e => e.MessageId)));
    }

    private protected abstract Task<string> UrlAsync();

    // Panko's fixture plus events whose ids and types need escaping, so markers and type paths have something to hit.
    private static List<Event> StoredEvents()
    {
        var events = FixtureS.All().ToList();
        events.Add(FixtureS.Simple(QueryInputs.StoredIds[6], "we\"ird type", FixtureS.T0.AddDays(1), Trait.String("trait_A", "x\ty")));
        events.Add(FixtureS.Simple(QueryInputs.StoredIds[7], "ünï", FixtureS.T0.AddDays(2), Trait.Integer("trait_B", long.MaxValue)));
        events.Add(FixtureS.Simple(QueryInputs.StoredIds[8], "Foo", FixtureS.T0.AddDays(-400), Trait.Float("trait_C", -1e300)));
        return events;
    }

    private static async Task SendAsync(HttpClient client, QueryInput input, Tally tally, CancellationToken cancellationToken)
    {
        tally.Tried++;
        var (status, body) = await GetAsync(client, input.PathAndQuery, cancellationToken);
        var what = $"{(int)status} for {QueryInputs.Visible(input.ToString())}: {QueryInputs.Visible(body)}";
        var code = (int)status;
        Require(code < 500, "never a 5xx: " + what);
        if (status == HttpStatusCode.RequestUriTooLong)
        {
            Require(input.PathAndQuery.Length > RequestLineLimit - 100, "only Kestrel's request-line limit may answer 414: " + what);
            tally.RefusedByKestrel++;
            return;
        }

        if (status == HttpStatusCode.BadRequest && body.Length == 0 && input.Path.Contains("%00", StringComparison.Ordinal))
        {
            // Kestrel refuses a NUL in the decoded path before any route runs.
            tally.RefusedByKestrel++;
            return;
        }

        Require(!input.Valid || status == HttpStatusCode.OK, "a well-formed query must succeed: " + what);
        if (status == HttpStatusCode.OK)
        {
            Require(JsonDocument.Parse(body).RootElement.ValueKind == JsonValueKind.Array, "a 200 carries a JSON array: " + what);
            tally.Ok++;
            tally.ValidOk += input.Valid ? 1 : 0;
            return;
        }

        Require(code is >= 400 and < 500, "a 4xx otherwise: " + what);
        using var error = JsonDocument.Parse(body);
        var fault = error.RootElement.GetProperty("error_message").GetProperty("faultstring").GetString() ?? string.Empty;
        Require(fault.Length > 0, "the error has a faultstring: " + what);
        Require(
            QueryInputs.Names(input.PathAndQuery).Any(name => fault.Contains(name, StringComparison.OrdinalIgnoreCase)),
            "the error must name the parameter or the value at fault: " + what);
        tally.Rejected++;
    }

    // Not Assert.That: CsCheck catches the failure to shrink the input, and NUnit would record every attempt.
    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string pathAndQuery, CancellationToken cancellationToken)
    {
        // Sent exactly as written: no canonicalisation, so invalid percent-escapes reach the server as they are.
        var uri = new Uri(client.BaseAddress!.GetLeftPart(UriPartial.Authority) + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var response = await client.GetAsync(uri, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private sealed class Tally
    {
        public int Tried { get; set; }

        public int Ok { get; set; }

        public int ValidOk { get; set; }

        public int Rejected { get; set; }

        public int RefusedByKestrel { get; set; }
    }
}
