using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Gordon.EndToEnd.Tests.Support;

namespace Gordon.EndToEnd.Tests.Burrow;

/// <summary>
/// The Burrow webhook in the published daemon: a POST becomes an event that passes the enricher and reaches a
/// publish-phase handler (the HelloPlugin sample, which logs every message it handles), and bad input gets its code.
/// </summary>
public sealed class BurrowWebhookEndToEndTests
{
    private const string KarrotEnvelope = """
        {"Event":{"Cluster":"prod-east","Group":"orders-enricher","ID":"3f0b6c1e-9a4d-4c2b-8e7f-5d1a2b3c4d5e",
          "Start":"2024-06-10T06:22:35.418207144Z","Extras":{"env":"prod"},
          "Result":{"cluster":"prod-east","group":"orders-enricher","status":"WARN","complete":1,
            "partitions":[{"topic":"orders","partition":1,"owner":"/10.20.3.17","client_id":"orders-enricher-2","status":"WARN",
              "start":{"offset":5001200,"timestamp":1718000000000,"observedAt":1718000000041,"lag":1200},
              "end":{"offset":5013400,"timestamp":1718000540000,"observedAt":1718000540037,"lag":4650},"current_lag":4810,"complete":1}],
            "partition_count":6,
            "maxlag":{"topic":"orders","partition":1,"owner":"/10.20.3.17","status":"WARN","current_lag":4810,"complete":1},
            "totallag":8785}}}
        """;

    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };

    private string _helloPublished = string.Empty;

    [OneTimeSetUp]
    public async Task PublishHelloSampleAsync()
    {
        // Its own artifacts path, so this build never shares obj/ with another test publishing the same sample.
        var scratch = Path.Combine(Path.GetTempPath(), "gordon-e2e-burrow-" + Guid.NewGuid().ToString("N"));
        _helloPublished = Path.Combine(scratch, "out");
        var project = Path.Combine(PublishedDaemon.RepositoryRoot, "samples", "HelloPlugin");
        using var publish = Process.Start(new ProcessStartInfo(
            "dotnet",
            $"publish \"{project}\" -c Release -o \"{_helloPublished}\" --artifacts-path \"{Path.Combine(scratch, "artifacts")}\" --nologo")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await publish.StandardOutput.ReadToEndAsync();
        await publish.WaitForExitAsync();
        Assert.That(publish.ExitCode, Is.Zero, output);
    }

    [OneTimeTearDown]
    public void RemoveHelloSample()
    {
        var scratch = Path.GetDirectoryName(_helloPublished);
        if (scratch is not null && Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Post_KarrotEnvelope_ReachesThePublishHandler_AndBadBodiesGetTheirCodes(CancellationToken cancellationToken)
    {
        using var root = new TempConfigRoot();
        root.AddPublishedPlugin("Gordon.Plugins.Burrow");
        TempConfigRoot.CopyDirectory(_helloPublished, Path.Combine(root.PluginsDirectory, "HelloPlugin"));
        root.WriteUserConfig("""
            [core]
            plugins = ["burrow", "burrow.enrich", "hello"]

            # burrow.enrich inherits these plain keys of [burrow]: they must not be reported as unknown there.
            [burrow]
            max_body = "512KiB"
            karrot_compatible_errors = false

            [burrow.enrich]
            state_ttl = "30m"

            [hello]
            interval = "1h"
            """);
        await using var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"");
        var address = await daemon.WaitUntilListeningAsync(cancellationToken);

        using var accepted = await PostAsync(address, KarrotEnvelope, cancellationToken);
        var acceptedBody = await accepted.Content.ReadAsStringAsync(cancellationToken);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), acceptedBody + "\n" + daemon.Output);
        var reply = JsonDocument.Parse(acceptedBody).RootElement;
        var messageId = reply.GetProperty("message_id").GetString()!;
        Assert.That(reply.GetProperty("event").GetProperty("Event").GetProperty("Result").GetProperty("totallag").GetInt64(), Is.EqualTo(8785));

        // The router carried it through consume and enrich (burrow.enrich) to the publish handler.
        await daemon.WaitForOutputAsync($"Received {messageId} (burrow.consumer_status) in phase publish", cancellationToken);
        Assert.That(daemon.Output, Does.Not.Contain("unknown key"));

        // Karrot's reporter view sees the same delivery.
        var lastEvent = await WaitForLastEventAsync(address, "hello", messageId, cancellationToken);
        Assert.That(lastEvent.GetProperty("Cluster").GetString(), Is.EqualTo("prod-east"));

        using var retried = await PostAsync(address, KarrotEnvelope, cancellationToken);
        var retriedId = JsonDocument.Parse(await retried.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("message_id").GetString();
        Assert.That(retriedId, Is.EqualTo(messageId), "a retried identical POST keeps its message id");

        using var malformed = await PostAsync(address, "{\"Event\":", cancellationToken);
        using var missing = await PostAsync(address, """{"Event":{"Result":{"cluster":"c","group":"g"}}}""", cancellationToken);
        var missingBody = await missing.Content.ReadAsStringAsync(cancellationToken);
        using var heartbeat = await Http.GetAsync(new Uri(address, "/heartbeat"), cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(missingBody, Does.Contain("Event.Result.totallag"));
            Assert.That(heartbeat.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });

        daemon.Signal(PosixSignalNumber.Term);
        Assert.That(await daemon.WaitForExitAsync(cancellationToken), Is.Zero, daemon.Output);
    }

    private static Task<HttpResponseMessage> PostAsync(Uri address, string body, CancellationToken cancellationToken) =>
        Http.PostAsync(new Uri(address, "/burrow"), new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);

    // The delivery is recorded when the message leaves the pipeline, just after the handler logs it.
    private static async Task<JsonElement> WaitForLastEventAsync(Uri address, string reporter, string messageId, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var response = await Http.GetAsync(new Uri(address, "/reporters/" + reporter), cancellationToken);
            var entry = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement
                .GetProperty("reporters")[0].GetProperty(reporter);
            if (entry.TryGetProperty("last_event_message_id", out var id) && id.GetString() == messageId)
            {
                return entry.GetProperty("last_event").Clone();
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
