using System.Net;
using System.Text;
using Gordon.EndToEnd.Tests.Support;

namespace Gordon.EndToEnd.Tests.Hosting;

/// <summary>Secrets set in config reach neither the log (at trace level), nor /config, nor `gordon validate`.</summary>
public sealed class SecretsNeverShownTests
{
    private const string WebhookPassword = "webhook-pw-7f3a91";
    private const string DatabasePassword = "db-pw-5c2e88";
    private const string ApiToken = "api-token-0b9d7c6e5f4a3b2c";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Test]
    [CancelAfter(120_000)]
    public async Task Secrets_AreNotInLogsConfigOrValidate(CancellationToken cancellationToken)
    {
        using var root = new TempConfigRoot();
        root.AddPublishedPlugin("Gordon.Plugins.Burrow");
        root.AddPublishedPlugin("Gordon.Plugins.Storage");
        root.WriteUserConfig($$"""
            [core]
            plugins = ["burrow", "storage"]

            [core.logging]
            level = "trace"

            [burrow]
            username = "burrow"
            password = "{{WebhookPassword}}"

            [storage]
            url = "sqlite://events.db"

            [storage.api]
            access_control = "on"

            [[storage.api.tokens]]
            token = "{{ApiToken}}"
            role = "admin"

            [unused]
            dsn = "postgresql://gordon:{{DatabasePassword}}@127.0.0.1:1/x"
            """);

        await using var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"");
        var address = await daemon.WaitUntilListeningAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/burrow"))
        {
            Content = new StringContent("""{"Event":{"Result":{"cluster":"c","group":"g","totallag":1}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("burrow:" + WebhookPassword)));
        using var accepted = await Http.SendAsync(request, cancellationToken);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), daemon.Output);
        using var wrong = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/burrow"))
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        wrong.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("burrow:" + WebhookPassword + "x")));
        using var refused = await Http.SendAsync(wrong, cancellationToken);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var config = await Http.GetStringAsync(new Uri(address, "/config"), cancellationToken);
        daemon.Signal(PosixSignalNumber.Term);
        await daemon.WaitForExitAsync(cancellationToken);
        var (_, validate) = await DaemonProcess.RunToEndAsync($"validate -c \"{root.Path}\"", cancellationToken);

        foreach (var (what, text) in new[] { ("log", daemon.Output), ("/config", config), ("validate", validate) })
        {
            Assert.That(text, Does.Not.Contain(WebhookPassword).And.Not.Contain(DatabasePassword).And.Not.Contain(ApiToken), what);
        }

        Assert.That(config, Does.Contain("postgresql://gordon:***@127.0.0.1:1/x"));
    }
}
