using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gordon.EndToEnd.Tests.Support;

namespace Gordon.EndToEnd.Tests.Hosting;

public sealed class DaemonLifecycleTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Test]
    [CancelAfter(60_000)]
    public async Task Run_NoPlugins_ServesHealthAndStopsCleanlyOnSigterm(CancellationToken cancellationToken)
    {
        using var root = new TempConfigRoot();
        root.WriteUserConfig("[core]\nplugins = []\n");
        await using var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"");
        var address = await daemon.WaitUntilListeningAsync(cancellationToken);

        using var health = await Http.GetAsync(new Uri(address, "/health"), cancellationToken);
        var body = await health.Content.ReadAsStringAsync(cancellationToken);
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("status").GetString(), Is.EqualTo("running"));

        daemon.Signal(PosixSignalNumber.Term);
        Assert.That(await daemon.WaitForExitAsync(cancellationToken), Is.Zero, daemon.Output);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Run_WithNotifySocket_SendsReadyThenStopping(CancellationToken cancellationToken)
    {
        using var root = new TempConfigRoot();
        root.WriteUserConfig("[core]\nplugins = []\n");
        var socketPath = Path.Combine(root.Path, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));

        await using var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"", new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath });
        Assert.That(await ReceiveAsync(socket, cancellationToken), Does.Contain("READY=1"));

        // READY comes only once the HTTP server answers.
        await daemon.WaitUntilListeningAsync(cancellationToken);
        using var ready = await Http.GetAsync(new Uri(daemon.BaseAddress, "/ready"), cancellationToken);
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        daemon.Signal(PosixSignalNumber.Term);
        Assert.That(await ReceiveAsync(socket, cancellationToken), Does.Contain("STOPPING=1"));
        Assert.That(await daemon.WaitForExitAsync(cancellationToken), Is.Zero, daemon.Output);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task AuthToken_GuardsEverythingButHealth_AndConfigRedactsIt(CancellationToken cancellationToken)
    {
        using var root = new TempConfigRoot();
        root.WriteUserConfig("[core]\nplugins = []\n[core.http]\nlisten = \"127.0.0.1:0\"\nauth_token = \"${E2E_TOKEN}\"\n");
        await using var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"", new Dictionary<string, string> { ["E2E_TOKEN"] = "s3cret-token" });
        var address = await daemon.WaitUntilListeningAsync(cancellationToken);

        using var health = await Http.GetAsync(new Uri(address, "/health"), cancellationToken);
        using var anonymous = await Http.GetAsync(new Uri(address, "/config"), cancellationToken);
        using var wrong = await SendAsync(address, "/config", "wrong-token", cancellationToken);
        using var right = await SendAsync(address, "/config", "s3cret-token", cancellationToken);
        var config = await right.Content.ReadAsStringAsync(cancellationToken);

        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(config, Does.Not.Contain("s3cret-token"));
        Assert.That(JsonDocument.Parse(config).RootElement.GetProperty("core").GetProperty("http").GetProperty("auth_token").GetString(), Is.EqualTo("***"));
        Assert.That(daemon.Output, Does.Not.Contain("s3cret-token"));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task Sighup_BadEdit_KeepsRunningOnOldConfig_GoodEditIsApplied(CancellationToken cancellationToken)
    {
        using var root = new TempConfigRoot();
        root.WriteUserConfig("[core]\nplugins = []\n[core.http]\nlisten = \"127.0.0.1:0\"\n");
        await using var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"");
        var address = await daemon.WaitUntilListeningAsync(cancellationToken);

        root.WriteUserConfig("[core]\nplugins = [\"no.such.plugin\"]\n[core.http]\nlisten = \"127.0.0.1:0\"\n");
        daemon.Signal(PosixSignalNumber.Hup);
        await daemon.WaitForOutputAsync("Reload rejected", cancellationToken);

        using var health = await Http.GetAsync(new Uri(address, "/health"), cancellationToken);
        var body = await health.Content.ReadAsStringAsync(cancellationToken);
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("last_reload_error").GetString(), Does.Contain("no.such.plugin"));

        var newPort = FreePort();
        root.WriteUserConfig($"[core]\nplugins = []\n[core.http]\nlisten = \"127.0.0.1:{newPort}\"\n");
        daemon.Signal(PosixSignalNumber.Hup);
        await daemon.WaitForOutputAsync($"Listening on http://127.0.0.1:{newPort}", cancellationToken);
        using var moved = await Http.GetAsync(new Uri($"http://127.0.0.1:{newPort}/health"), cancellationToken);
        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(daemon.HasExited, Is.False);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Run_InvalidConfig_ExitsWithConfigErrorNamingTheKey(CancellationToken cancellationToken)
    {
        using var root = new TempConfigRoot();
        root.WriteUserConfig("[core]\nplugins = []\n[core.router]\ncapacity = \"lots\"\n");

        var (exitCode, output) = await DaemonProcess.RunToEndAsync($"run -c \"{root.Path}\"", cancellationToken);

        Assert.That(exitCode, Is.EqualTo(78), output);
        Assert.That(output, Does.Contain("core.router.capacity").And.Contain("gordon-user.toml"));
    }

    private static async Task<HttpResponseMessage> SendAsync(Uri address, string path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, path));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request, cancellationToken);
    }

    private static async Task<string> ReceiveAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, received);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
