using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Gordon.Abstractions.Collectors;
using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Collectors.Interval.Probes;

/// <summary>
/// <c>http</c>: requests <c>params.url</c> and reports <c>up</c> (1 for a 2xx answer, else 0), <c>status</c>,
/// <c>latency</c> (seconds to the whole response) and, with <c>params.json_path</c>, the number found there as
/// <c>value</c>. A connection failure or timeout is a measurement too: <c>up</c> 0 with an <c>error</c>.
/// </summary>
internal sealed class HttpProbe : ICollectorProbe, IDisposable
{
    private readonly HttpClient _client;

    public HttpProbe(HttpMessageHandler? handler = null)
    {
        _client = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            // A health endpoint answering megabytes is a misconfigured job; keep it from filling memory.
            MaxResponseContentBufferSize = 16 * 1024 * 1024,
        };
    }

    public string? ValidateParameters(JsonElement parameters) => ProbeParameters.Check(() =>
    {
        var url = ProbeParameters.RequireString(parameters, "url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"params.url '{url}' is not an http or https URL");
        }

        _ = ProbeParameters.Duration(parameters, "timeout", TimeSpan.FromSeconds(10));
        _ = ProbeParameters.StringMap(parameters, "headers");
        if (ProbeParameters.String(parameters, "method") is { } method && !method.All(char.IsAsciiLetterUpper))
        {
            throw new ArgumentException($"params.method '{method}' is not an HTTP method");
        }

        if (ProbeParameters.Has(parameters, "json_path") && JsonPath.Parse(ProbeParameters.String(parameters, "json_path") ?? string.Empty) is null)
        {
            throw new ArgumentException("params.json_path must look like data.items[0].value");
        }
    });

    public async Task<IReadOnlyList<ProbeSample>> RunAsync(ProbeInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var parameters = invocation.Parameters;
        var timeout = ProbeParameters.Duration(parameters, "timeout", TimeSpan.FromSeconds(10));
        using var request = new HttpRequestMessage(new HttpMethod(ProbeParameters.String(parameters, "method") ?? "GET"), ProbeParameters.RequireString(parameters, "url"));
        foreach (var (name, value) in ProbeParameters.StringMap(parameters, "headers"))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("gordon-collector", "1.0"));
        using var timer = new CancellationTokenSource(timeout, invocation.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var started = invocation.TimeProvider.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            var latency = invocation.TimeProvider.GetElapsedTime(started).TotalSeconds;
            var values = new List<Trait>
            {
                Trait.Integer("up", response.IsSuccessStatusCode ? 1 : 0),
                Trait.Integer("status", (int)response.StatusCode),
                Trait.Float("latency", latency),
            };
            if (ProbeParameters.String(parameters, "json_path") is { } path)
            {
                values.Add(JsonPath.Find(body, path) is { } number
                    ? Trait.Float("value", number)
                    : Trait.String("error", $"json_path '{path}' found no number in the response"));
            }

            return [new ProbeSample(values)];
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return [Down(string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.TotalSeconds} s"))];
        }
        catch (HttpRequestException e)
        {
            return [Down(e.Message)];
        }
    }

    public void Dispose() => _client.Dispose();

    private static ProbeSample Down(string error) => new([Trait.Integer("up", 0), Trait.String("error", error)]);
}
