using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gordon.Plugins.Burrow.Tests.Support;
using Gordon.Plugins.Burrow.Tests.Webhook;

namespace Gordon.Plugins.Burrow.Tests.Fuzz;

/// <summary>Malformed and adversarial bodies against /burrow on real Kestrel (issue 13 item 4).</summary>
public sealed class WebhookFuzzTests
{
    private const int Seed = 13_0004;

    /// <summary>The fuzz loop stops at this many inputs or after <see cref="Budget"/>, whichever comes first.</summary>
    private const int MaxInputs = 60_000;

    private const int ValidEvery = 10;

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(35);

    [Test]
    [CancelAfter(90_000)]
    public async Task Post_SeededGarbageInterleavedWithValidReports_NeverAnswers5xxAndLosesNoValidReport(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);
        var generator = new WebhookInputGenerator(Seed);
        var acceptedIds = new List<string>();
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        var tried = 0;

        foreach (var extreme in WebhookInputGenerator.DeepNestingExtremes().Append(WebhookInputGenerator.TenMegabytes()))
        {
            await PostGarbageAsync(bed, extreme, kinds, cancellationToken);
            tried++;
        }

        var clock = Stopwatch.StartNew();
        while (tried < MaxInputs && clock.Elapsed < Budget)
        {
            if (tried % ValidEvery == 0)
            {
                acceptedIds.Add(await PostValidAsync(bed, tried, cancellationToken));
            }
            else
            {
                await PostGarbageAsync(bed, generator.Next(), kinds, cancellationToken);
            }

            tried++;
        }

        acceptedIds.Add(await PostValidAsync(bed, tried, cancellationToken));
        await TestContext.Out.WriteLineAsync($"fuzzed /burrow with {tried} inputs (seed {Seed}, {acceptedIds.Count} valid reports interleaved): " +
            string.Join(", ", kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")));

        var emittedIds = bed.Sink.Events.Select(e => e.MessageId).ToHashSet(StringComparer.Ordinal);
        Assert.That(acceptedIds, Is.SubsetOf(emittedIds), "every valid report answered 200 must have been emitted");
        Assert.That(tried, Is.GreaterThan(1_000), "the loop must try a meaningful number of inputs");
    }

    private static async Task<string> PostValidAsync(WebhookTestBed bed, int index, CancellationToken cancellationToken)
    {
        var body = BurrowBodies.KarrotWithPartitions(1 + (index % 4), group: "fuzz-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await bed.PostAsync(body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"valid report #{index} after garbage: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("message_id").GetString()!;
    }

    private static async Task PostGarbageAsync(WebhookTestBed bed, FuzzInput input, Dictionary<string, int> kinds, CancellationToken cancellationToken)
    {
        kinds[input.Kind] = kinds.GetValueOrDefault(input.Kind) + 1;
        using var content = new ByteArrayContent(input.Body);
        if (input.MediaType is { } mediaType)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        }

        using var response = await bed.Client.PostAsync(new Uri("/burrow", UriKind.Relative), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var code = (int)response.StatusCode;
        var what = $"{input.Kind} ({input.Body.Length} bytes, {input.MediaType ?? "no content type"}): {code} {Preview(text)}; body {(input.Body.Length <= 4096 ? Encoding.UTF8.GetString(input.Body) : Preview(Encoding.UTF8.GetString(input.Body)))}";

        Assert.That(code, Is.InRange(200, 499), what);
        if (code >= 400)
        {
            using var reason = ParseOrNull(text);
            Assert.That(reason?.RootElement.ValueKind, Is.EqualTo(JsonValueKind.Object), "a rejection carries a JSON reason: " + what);
            Assert.That(reason!.RootElement.TryGetProperty("msg", out var msg) && msg.GetString() is { Length: > 0 }, Is.True, "the JSON reason has a msg: " + what);
        }
    }

    private static JsonDocument? ParseOrNull(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Preview(string text) => text.Length <= 160 ? text : text[..160] + "…";
}
