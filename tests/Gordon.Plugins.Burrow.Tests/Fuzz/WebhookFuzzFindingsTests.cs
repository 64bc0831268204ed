using System.Net;
using Gordon.Plugins.Burrow.Tests.Webhook;

namespace Gordon.Plugins.Burrow.Tests.Fuzz;

/// <summary>Inputs the fuzzer found, kept as fixed cases (regressions of the fuzzer's findings).</summary>
public sealed class WebhookFuzzFindingsTests
{
    // A lone UTF-16 surrogate escape is valid JSON syntax, but Utf8JsonReader.GetString throws
    // InvalidOperationException on it; it once reached Kestrel as a 500.
    [TestCase("""{"cluster":"c","group":"\ud800","status":"OK","complete":1,"partitions":[],"partition_count":1,"maxlag":null,"totallag":1}""")]
    [TestCase("""{"cluster":"\udc00","group":"g","status":"OK","complete":1,"partitions":[],"partition_count":1,"maxlag":null,"totallag":1}""")]
    public async Task Post_LoneSurrogateEscape_Returns400NotServerError(string body)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var bed = await WebhookTestBed.StartAsync(timeout.Token);

        using var response = await bed.PostAsync(body, timeout.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var json = await WebhookTestBed.ReadJsonAsync(response, timeout.Token);
        Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("error"));
    }
}
