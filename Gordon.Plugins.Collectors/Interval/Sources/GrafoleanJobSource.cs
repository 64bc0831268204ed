using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gordon.Plugins.Collectors.Interval.Sources;

/// <summary>
/// Jobs from a Grafolean backend, as the grafolean bots read them: every <c>device</c> entity of every account that
/// has the bot's protocol, a credential and sensors, and is not assigned to another bot, becomes one job (id = the
/// entity id) on the set of its sensors' intervals (the entity's interval, else the sensor's default; a sensor with
/// neither rejects the job). Params hold the entity as the bots got it, plus <c>account</c>, a <c>path_prefix</c> of
/// <c>entity.&lt;id&gt;.&lt;protocol&gt;</c>, and the entity's and credential's details copied to the top level.
/// The bot token travels in the query string (<c>?b=</c>), as the backend requires; it is never logged.
/// </summary>
internal sealed class GrafoleanJobSource(HttpClient client, Uri baseUrl, string token, string protocol, string probe, TimeSpan timeout, TimeProvider time) : IJobSource
{
    private long? _userId;

    public string Name => "grafolean";

    public async Task<JobSourceResult> FetchAsync(CancellationToken cancellationToken)
    {
        _userId ??= (await GetAsync("profile/", cancellationToken).ConfigureAwait(false))["user_id"]?.GetValue<long>()
            ?? throw new FormatException("the backend's profile has no user_id");
        var accepted = new List<JobDefinition>();
        var rejected = new List<(string, string)>();
        var accounts = (await GetAsync("accounts/", cancellationToken).ConfigureAwait(false))["list"]?.AsArray() ?? [];
        foreach (var account in accounts)
        {
            var accountId = Id(account);
            var entities = (await GetAsync($"accounts/{accountId}/entities/", cancellationToken).ConfigureAwait(false))["list"]?.AsArray() ?? [];
            foreach (var listed in entities.Where(e => e?["entity_type"]?.GetValue<string>() == "device"))
            {
                var entityId = Id(listed);
                var entity = await GetAsync($"accounts/{accountId}/entities/{entityId}", cancellationToken).ConfigureAwait(false);
                if (entity["protocols"]?[protocol] is not JsonObject settings
                    || (settings["bot"] is JsonValue bot && bot.GetValue<long>() != _userId)
                    || string.IsNullOrEmpty(settings["credential"]?.ToString())
                    || settings["sensors"] is not JsonArray { Count: > 0 } sensors)
                {
                    continue;
                }

                var credential = await GetAsync($"accounts/{accountId}/credentials/{Id(settings["credential"])}", cancellationToken).ConfigureAwait(false);
                var sensorList = new JsonArray();
                var intervals = new List<object?>();
                string? missing = null;
                foreach (var sensor in sensors)
                {
                    var sensorId = Id(sensor?["sensor"]);
                    var details = await GetAsync($"accounts/{accountId}/sensors/{sensorId}", cancellationToken).ConfigureAwait(false);
                    var interval = Number(sensor?["interval"]) ?? Number(details["default_interval"]);
                    missing ??= interval is null ? sensorId : null;
                    intervals.Add(interval);
                    sensorList.Add(new JsonObject { ["sensor_details"] = details["details"]?.DeepClone(), ["sensor_id"] = long.Parse(sensorId, CultureInfo.InvariantCulture), ["interval"] = interval });
                }

                var jobId = entityId;
                if (missing is not null)
                {
                    rejected.Add((jobId, $"sensor {missing} has no interval (neither the entity's nor the sensor's default)"));
                    continue;
                }

                if (JobRules.Intervals(intervals, out var error) is not { } parsed)
                {
                    rejected.Add((jobId, error!));
                    continue;
                }

                var parameters = new JsonObject();
                foreach (var source in new[] { credential["details"], entity["details"] })
                {
                    if (source is JsonObject flat)
                    {
                        foreach (var (key, value) in flat)
                        {
                            parameters[key] = value?.DeepClone();
                        }
                    }
                }

                parameters["name"] = entity["name"]?.DeepClone();
                parameters["entity_type"] = entity["entity_type"]?.DeepClone();
                parameters["parent"] = entity["parent"]?.DeepClone();
                parameters["details"] = entity["details"]?.DeepClone();
                parameters["credential_details"] = credential["details"]?.DeepClone();
                parameters["sensors"] = sensorList;
                parameters["account_id"] = long.Parse(accountId, CultureInfo.InvariantCulture);
                parameters["entity_id"] = long.Parse(entityId, CultureInfo.InvariantCulture);
                parameters["account"] = accountId;
                parameters["path_prefix"] = $"entity.{entityId}.{protocol}";
                accepted.Add(new JobDefinition(jobId, parsed, probe, JsonSerializer.SerializeToElement(parameters), null, Name));
            }
        }

        return new JobSourceResult(accepted, rejected);
    }

    private async Task<JsonObject> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var url = new Uri(baseUrl, path + "?b=" + Uri.EscapeDataString(token));
        try
        {
            using var response = await client.GetAsync(url, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // The URL holds the bot token: name the path only.
                throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"GET {baseUrl.AbsolutePath}{path} answered {(int)response.StatusCode}"));
            }

            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            return JsonNode.Parse(body) as JsonObject ?? throw new FormatException($"GET {baseUrl.AbsolutePath}{path} did not answer a JSON object");
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"GET {baseUrl.AbsolutePath}{path} gave no answer within {timeout.TotalSeconds} s"));
        }
        catch (HttpRequestException e) when (e.Message.Contains(token, StringComparison.Ordinal))
        {
            throw new HttpRequestException(e.Message.Replace(token, "***", StringComparison.Ordinal));
        }
    }

    private static string Id(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Number => node.GetValue<long>().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String => node.GetValue<string>(),
        _ => node?["id"] is { } id ? Id(id) : throw new FormatException("an item without an id"),
    };

    private static double? Number(JsonNode? node) => node?.GetValueKind() == JsonValueKind.Number ? node.GetValue<double>() : null;
}
