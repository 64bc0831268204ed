using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Gordon.Plugins.Collectors.Interval.Sources;

/// <summary>
/// Jobs from <c>jobs_url</c>: a JSON list of <c>{"id", "intervals", "probe", "params", "start"}</c>, or an object
/// with such a list under <c>jobs</c>. A job that does not fit is rejected alone, with its reason.
/// </summary>
internal sealed class HttpJobSource(HttpClient client, Uri url, string? token, TimeSpan timeout, TimeProvider time) : IJobSource
{
    public string Name => "jobs_url";

    public async Task<JobSourceResult> FetchAsync(CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        byte[] body;
        try
        {
            using var response = await client.SendAsync(request, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"GET {url} answered {(int)response.StatusCode}"));
            }

            body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"GET {url} gave no answer within {timeout.TotalSeconds} s"));
        }

        using var document = JsonDocument.Parse(body);
        var list = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("jobs", out var jobs)
            ? jobs
            : document.RootElement;
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{url} must answer a JSON list of jobs (or {{\"jobs\": [...]}})");
        }

        var accepted = new List<JobDefinition>();
        var rejected = new List<(string, string)>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            index++;
            if (JobParser.FromJson(item, Name, out var id, out var reason) is { } job)
            {
                accepted.Add(job);
            }
            else
            {
                rejected.Add((id ?? "#" + index.ToString(CultureInfo.InvariantCulture), reason!));
            }
        }

        return new JobSourceResult(accepted, rejected);
    }
}
