using System.Text.Json;
using Gordon.Plugins.Collectors.Interval.Sources;
using Gordon.Plugins.Collectors.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Gordon.Plugins.Collectors.Tests.Interval.Sources;

/// <summary>Part C, entity filtering: which Grafolean entities become jobs, on which intervals, with which params.</summary>
public sealed class GrafoleanJobSourceTests
{
    private const string Token = "bot-token-123";

    private static readonly Dictionary<string, string> Backend = new()
    {
        ["/api/profile/"] = """{"user_id": 42, "username": "bot"}""",
        ["/api/accounts/"] = """{"list": [{"id": 1}, {"id": 2}]}""",
        ["/api/accounts/1/entities/"] = """
            {"list": [
              {"id": 10, "entity_type": "device"}, {"id": 11, "entity_type": "device"}, {"id": 12, "entity_type": "device"},
              {"id": 13, "entity_type": "device"}, {"id": 14, "entity_type": "device"}, {"id": 15, "entity_type": "interface"},
              {"id": 16, "entity_type": "device"}, {"id": 17, "entity_type": "device"}
            ]}
            """,
        ["/api/accounts/2/entities/"] = """{"list": [{"id": 20, "entity_type": "device"}]}""",
        // Good: entity interval on one sensor, the sensor's default on the other; assigned to this bot.
        ["/api/accounts/1/entities/10"] = """
            {"id": 10, "name": "router", "entity_type": "device", "parent": null, "details": {"host": "127.0.0.1", "port": 8080},
             "protocols": {"tcp": {"credential": 5, "bot": 42, "sensors": [{"sensor": 7, "interval": 30}, {"sensor": 8, "interval": null}]}}}
            """,
        ["/api/accounts/1/entities/11"] = """{"id": 11, "name": "no-protocol", "entity_type": "device", "details": {}, "protocols": {"snmp": {"credential": 5, "bot": null, "sensors": [{"sensor": 7, "interval": 30}]}}}""",
        ["/api/accounts/1/entities/12"] = """{"id": 12, "name": "other-bot", "entity_type": "device", "details": {}, "protocols": {"tcp": {"credential": 5, "bot": 99, "sensors": [{"sensor": 7, "interval": 30}]}}}""",
        ["/api/accounts/1/entities/13"] = """{"id": 13, "name": "no-credential", "entity_type": "device", "details": {}, "protocols": {"tcp": {"credential": null, "bot": null, "sensors": [{"sensor": 7, "interval": 30}]}}}""",
        ["/api/accounts/1/entities/14"] = """{"id": 14, "name": "no-sensors", "entity_type": "device", "details": {}, "protocols": {"tcp": {"credential": 5, "bot": null, "sensors": []}}}""",
        // No interval anywhere: rejected with a reason.
        ["/api/accounts/1/entities/16"] = """{"id": 16, "name": "no-interval", "entity_type": "device", "details": {}, "protocols": {"tcp": {"credential": 5, "bot": null, "sensors": [{"sensor": 9, "interval": null}]}}}""",
        ["/api/accounts/1/entities/17"] = """{"id": 17, "name": "unassigned", "entity_type": "device", "details": {"host": "127.0.0.2"}, "protocols": {"tcp": {"credential": 5, "bot": null, "sensors": [{"sensor": 7, "interval": null}]}}}""",
        ["/api/accounts/2/entities/20"] = """{"id": 20, "name": "far", "entity_type": "device", "details": {}, "protocols": {"tcp": {"credential": 6, "bot": null, "sensors": [{"sensor": 8, "interval": 120}]}}}""",
        ["/api/accounts/1/credentials/5"] = """{"id": 5, "name": "cred", "protocol": "tcp", "details": {"timeout": 2}}""",
        ["/api/accounts/2/credentials/6"] = """{"id": 6, "name": "cred2", "protocol": "tcp", "details": {}}""",
        ["/api/accounts/1/sensors/7"] = """{"id": 7, "name": "s7", "protocol": "tcp", "default_interval": 60, "details": {"k": "v"}}""",
        ["/api/accounts/1/sensors/8"] = """{"id": 8, "name": "s8", "protocol": "tcp", "default_interval": 300, "details": {}}""",
        ["/api/accounts/2/sensors/8"] = """{"id": 8, "name": "s8", "protocol": "tcp", "default_interval": 300, "details": {}}""",
        ["/api/accounts/1/sensors/9"] = """{"id": 9, "name": "s9", "protocol": "tcp", "default_interval": null, "details": {}}""",
    };

    [Test]
    public async Task Fetch_SkipsEntitiesWithoutProtocolAssignedElsewhereWithoutCredentialOrSensors_AndTakesTheEntityThenSensorInterval()
    {
        await using var server = await TestHttpServer.StartAsync(Answer);
        using var client = new HttpClient();
        var source = new GrafoleanJobSource(client, new Uri(server.BaseAddress, "/api/"), Token, "tcp", "tcp", TimeSpan.FromSeconds(10), TimeProvider.System);

        var result = await source.FetchAsync(CancellationToken.None);

        var jobs = result.Jobs.ToDictionary(j => j.Id);
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Keys, Is.EquivalentTo(new[] { "10", "17", "20" }));
            Assert.That(jobs["10"].Intervals, Is.EqualTo(new[] { TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(300) }));
            Assert.That(jobs["17"].Intervals, Is.EqualTo(new[] { TimeSpan.FromSeconds(60) }));
            Assert.That(jobs["20"].Intervals, Is.EqualTo(new[] { TimeSpan.FromSeconds(120) }));
            Assert.That(jobs.Values.Select(j => (j.Probe, j.Source)), Has.All.EqualTo(("tcp", "grafolean")));
            Assert.That(result.Rejected, Is.EqualTo(new[] { ("16", "sensor 9 has no interval (neither the entity's nor the sensor's default)") }));
            Assert.That(server.Requests.Select(r => r.Query), Has.All.EqualTo("?b=" + Token));
        });

        var parameters = jobs["10"].Parameters;
        Assert.Multiple(() =>
        {
            Assert.That(parameters.GetProperty("host").GetString(), Is.EqualTo("127.0.0.1"));
            Assert.That(parameters.GetProperty("port").GetInt32(), Is.EqualTo(8080));
            Assert.That(parameters.GetProperty("timeout").GetInt32(), Is.EqualTo(2));
            Assert.That(parameters.GetProperty("account").GetString(), Is.EqualTo("1"));
            Assert.That(parameters.GetProperty("path_prefix").GetString(), Is.EqualTo("entity.10.tcp"));
            Assert.That(parameters.GetProperty("entity_id").GetInt64(), Is.EqualTo(10));
            Assert.That(parameters.GetProperty("sensors").GetRawText(), Is.EqualTo(
                """[{"sensor_details":{"k":"v"},"sensor_id":7,"interval":30},{"sensor_details":{},"sensor_id":8,"interval":300}]"""));
        });
    }

    [Test]
    public async Task Fetch_BackendError_FailsTheWholeSourceWithoutShowingTheToken()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 401;
            return Task.CompletedTask;
        });
        using var client = new HttpClient();
        var source = new GrafoleanJobSource(client, new Uri(server.BaseAddress, "/api/"), Token, "tcp", "tcp", TimeSpan.FromSeconds(10), TimeProvider.System);

        var error = Assert.ThrowsAsync<HttpRequestException>(() => source.FetchAsync(CancellationToken.None));

        Assert.That(error!.Message, Is.EqualTo("GET /api/profile/ answered 401"));
    }

    private static async Task Answer(HttpContext context, RecordedRequest request)
    {
        if (!Backend.TryGetValue(request.Path, out var body))
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonDocument.Parse(body).RootElement.GetRawText());
    }
}
