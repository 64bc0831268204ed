using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gordon.Plugins.Collectors.Insights;
using Gordon.Plugins.Collectors.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Net.Http.Headers;

namespace Gordon.Plugins.Collectors.Tests.Insights;

/// <summary>Part C, upload: the multipart request, the auth modes, what counts as success, timeouts and retries.</summary>
public sealed class IngressShipperTests
{
    private const string PayloadType = "application/vnd.redhat.test.test_payload+tgz";

    private TempDirectory _directory = null!;
    private string _tarball = null!;
    private byte[] _tarballBytes = null!;

    [SetUp]
    public async Task SetUp()
    {
        _directory = new TempDirectory();
        _tarball = _directory.Combine("test-2024-03-10-120000+0000-0.tar.gz");
        _tarballBytes = RandomNumberGenerator.GetBytes(3000);
        await File.WriteAllBytesAsync(_tarball, _tarballBytes);
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public async Task Ship_PostsOneMultipartPartNamedFile_WithTheTarballNameTypeAndBytes_AndBasicAuth()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => Answer(context, 202));
        using var shipper = Shipper(server, new ShippingSettings
        {
            Username = "user",
            Password = "p@ss:word",
            Headers = new Dictionary<string, string> { ["User-Agent"] = "gordon-test", ["X-Version"] = "7" },
        });

        var outcome = await shipper.ShipAsync(_tarball, CancellationToken.None);

        var request = server.Requests.Single();
        var parts = await ReadPartsAsync(request);
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(new ShipOutcome(true, null)));
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Path, Is.EqualTo("/api/ingress/v1/upload"));
            Assert.That(request.Headers["Authorization"], Is.EqualTo("Basic " + Convert.ToBase64String("user:p@ss:word"u8.ToArray())));
            Assert.That(request.Headers["User-Agent"], Is.EqualTo("gordon-test"));
            Assert.That(request.Headers["X-Version"], Is.EqualTo("7"));
            Assert.That(request.Headers["Content-Type"], Does.StartWith("multipart/form-data; boundary="));
            Assert.That(parts, Has.Count.EqualTo(1));
            Assert.That(parts[0].Disposition.Name.Value, Is.EqualTo("file"));
            Assert.That(parts[0].Disposition.FileName.Value, Is.EqualTo("test-2024-03-10-120000+0000-0.tar.gz"));
            Assert.That(parts[0].ContentType, Is.EqualTo(PayloadType));
            Assert.That(parts[0].Data, Is.EqualTo(_tarballBytes));
        });
    }

    [Test]
    public async Task Ship_CustomHeadersWithAContentType_DropItSoTheMultipartTypeWins()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => Answer(context, 200));
        using var shipper = Shipper(server, new ShippingSettings
        {
            Username = "u",
            Password = "p",
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
        });

        var outcome = await shipper.ShipAsync(_tarball, CancellationToken.None);

        Assert.That(outcome.Success, Is.True);
        Assert.That(server.Requests.Single().Headers["Content-Type"], Does.StartWith("multipart/form-data"));
    }

    [Test]
    public async Task Ship_WithoutAnyCustomHeaders_Ships()
    {
        // The original raised KeyError when its custom headers had no Content-Type.
        await using var server = await TestHttpServer.StartAsync((context, _) => Answer(context, 202));
        using var shipper = Shipper(server, new ShippingSettings { Username = "u", Password = "p", Headers = new Dictionary<string, string>() });

        var outcome = await shipper.ShipAsync(_tarball, CancellationToken.None);

        Assert.That(outcome, Is.EqualTo(new ShipOutcome(true, null)));
    }

    [Test]
    public async Task Ship_IdentityMode_SendsTheBase64IdentityAndNoBasicAuth()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => Answer(context, 201));
        using var shipper = Shipper(server, new ShippingSettings { Auth = ShippingAuth.XRhIdentity });

        var outcome = await shipper.ShipAsync(_tarball, CancellationToken.None);

        var request = server.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Success, Is.True);
            Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers["x-rh-identity"])), Is.EqualTo(ShippingSettings.DefaultIdentity));
            Assert.That(request.Headers.ContainsKey("Authorization"), Is.False);
        });
    }

    [Test]
    public async Task Ship_BearerMode_SendsTheToken()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => Answer(context, 200));
        using var shipper = Shipper(server, new ShippingSettings { Auth = ShippingAuth.Bearer, BearerToken = "tok-123" });

        await shipper.ShipAsync(_tarball, CancellationToken.None);

        Assert.That(server.Requests.Single().Headers["Authorization"], Is.EqualTo("Bearer tok-123"));
    }

    [Test]
    public async Task Ship_MutualTls_PresentsTheClientCertificateAndTrustsTheConfiguredAuthority()
    {
        using var authority = TestCertificates.CreateAuthority();
        using var serverCertificate = TestCertificates.Issue(authority, "CN=127.0.0.1", server: true);
        using var clientCertificate = TestCertificates.Issue(authority, "CN=gordon-client", server: false);
        var caPath = _directory.Combine("ca.pem");
        var certPath = _directory.Combine("client.pem");
        var keyPath = _directory.Combine("client.key");
        await File.WriteAllTextAsync(caPath, authority.ExportCertificatePem());
        await File.WriteAllTextAsync(certPath, clientCertificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, clientCertificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await using var server = await TestHttpServer.StartAsync(
            (context, _) => Answer(context, 200),
            https =>
            {
                https.ServerCertificate = serverCertificate;
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.AllowAnyClientCertificate();
            });
        using var shipper = Shipper(server, new ShippingSettings
        {
            Auth = ShippingAuth.MutualTls,
            ClientCertificate = certPath,
            ClientKey = keyPath,
            CaCertificate = caPath,
        }, useHandler: false);

        var outcome = await shipper.ShipAsync(_tarball, CancellationToken.None);

        Assert.That(outcome.Success, Is.True, outcome.Error);
        Assert.That(server.Requests.Single().ClientCertificateThumbprint, Is.EqualTo(clientCertificate.Thumbprint));
    }

    [Test]
    public async Task Ship_ServerCertificateFromAnUntrustedAuthority_Fails()
    {
        using var authority = TestCertificates.CreateAuthority();
        using var other = TestCertificates.CreateAuthority();
        using var serverCertificate = TestCertificates.Issue(authority, "CN=127.0.0.1", server: true);
        var caPath = _directory.Combine("other.pem");
        await File.WriteAllTextAsync(caPath, other.ExportCertificatePem());
        await using var server = await TestHttpServer.StartAsync((context, _) => Answer(context, 200), https => https.ServerCertificate = serverCertificate);
        using var shipper = Shipper(server, new ShippingSettings { Auth = ShippingAuth.None, CaCertificate = caPath, Retries = 0 }, useHandler: false);

        var outcome = await shipper.ShipAsync(_tarball, CancellationToken.None);

        Assert.That(outcome.Success, Is.False);
        Assert.That(server.Requests, Is.Empty);
    }

    [TestCase(200)]
    [TestCase(201)]
    [TestCase(202)]
    [TestCase(204)]
    public async Task Ship_Any2xx_IsSuccess(int status)
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => Answer(context, status));
        using var shipper = Shipper(server, new ShippingSettings { Auth = ShippingAuth.None });

        Assert.That((await shipper.ShipAsync(_tarball, CancellationToken.None)).Success, Is.True);
    }

    [TestCase(400)]
    [TestCase(401)]
    [TestCase(413)]
    public async Task Ship_ClientError_FailsAtOnceNamingStatusAndBody(int status)
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => Answer(context, status, "upload refused: too big"));
        using var shipper = Shipper(server, new ShippingSettings { Auth = ShippingAuth.None, Retries = 3 });

        var outcome = await shipper.ShipAsync(_tarball, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Success, Is.False);
            Assert.That(outcome.Error, Is.EqualTo($"status {status}, upload refused: too big"));
            Assert.That(server.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Ship_ServerErrorThenSuccess_RetriesWithDoublingBackoff()
    {
        var time = new FakeTimeProvider();
        var logger = new RecordingLogger();
        var attempts = 0;
        await using var server = await TestHttpServer.StartAsync((context, _) => Answer(context, Interlocked.Increment(ref attempts) < 3 ? 503 : 202));
        using var shipper = Shipper(server, new ShippingSettings { Auth = ShippingAuth.None, Retries = 3, RetryBackoff = TimeSpan.FromSeconds(2), Timeout = TimeSpan.FromHours(1) }, time: time, logger: logger);

        var shipping = shipper.ShipAsync(_tarball, CancellationToken.None);
        for (var retry = 1; retry <= 2; retry++)
        {
            await WaitUntilAsync(() => logger.Entries.Count == retry);
            // Waiting for the backoff: no further attempt happens until the fake clock moves.
            Assert.That(server.Requests, Has.Count.EqualTo(retry));
            // The backoff's timer may not be registered yet when the log line appears: step the clock until it fires.
            while (server.Requests.Count == retry)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(1);
            }
        }

        var outcome = await shipping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Success, Is.True);
            Assert.That(server.Requests, Has.Count.EqualTo(3));
            Assert.That(logger.Entries.Select(e => e.Message), Is.EqualTo(new[]
            {
                "Upload of test-2024-03-10-120000+0000-0.tar.gz failed (status 503, ); retrying in 2 s",
                "Upload of test-2024-03-10-120000+0000-0.tar.gz failed (status 503, ); retrying in 4 s",
            }));
        });
    }

    [Test]
    public async Task Ship_RetriesSpent_FailsNamingTheLastError()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => Answer(context, 500, "boom"));
        using var shipper = Shipper(server, new ShippingSettings { Auth = ShippingAuth.None, Retries = 2, RetryBackoff = TimeSpan.Zero });

        var outcome = await shipper.ShipAsync(_tarball, CancellationToken.None);

        Assert.That(outcome.Error, Is.EqualTo("status 500, boom (after 3 attempts)"));
        Assert.That(server.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Ship_NoAnswerWithinTheTimeout_FailsAsATimeout()
    {
        var time = new FakeTimeProvider();
        var hang = new TaskCompletionSource();
        await using var server = await TestHttpServer.StartAsync(async (context, _) => await hang.Task.WaitAsync(context.RequestAborted));
        using var shipper = Shipper(server, new ShippingSettings { Auth = ShippingAuth.None, Retries = 0, Timeout = TimeSpan.FromSeconds(31) }, time: time);

        var shipping = shipper.ShipAsync(_tarball, CancellationToken.None);
        await WaitUntilAsync(() => !server.Requests.IsEmpty);
        time.Advance(TimeSpan.FromSeconds(31));
        var outcome = await shipping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(outcome.Error, Is.EqualTo("no answer within 31 s"));
    }

    [Test]
    public async Task Ship_NothingListening_FailsWithTheConnectionError()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var shipper = new IngressShipper(
            new ShippingSettings { Auth = ShippingAuth.None, Retries = 0, IngressUrl = new Uri($"http://127.0.0.1:{port}/upload") },
            TimeProvider.System,
            NullLogger.Instance);

        var outcome = await shipper.ShipAsync(_tarball, CancellationToken.None);

        Assert.That(outcome.Success, Is.False);
        Assert.That(outcome.Error, Does.Contain("refused").IgnoreCase);
    }

    [TestCase("user-pass", null, "p", "username is not set")]
    [TestCase("user-pass", "u", null, "password is not set")]
    [TestCase("mutual-tls", null, null, "client_cert is not set")]
    [TestCase("bearer", null, null, "bearer_token is not set")]
    public void ConfigurationProblem_NamesTheMissingSetting(string auth, string? user, string? password, string expected)
    {
        var mode = Enum.Parse<ShippingAuth>(auth.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true);
        using var shipper = new IngressShipper(
            new ShippingSettings { IngressUrl = new Uri("http://127.0.0.1:1/"), Auth = mode, Username = user, Password = password },
            TimeProvider.System,
            NullLogger.Instance);

        Assert.That(shipper.ConfigurationProblem, Does.StartWith(expected));
    }

    [Test]
    public void ConfigurationProblem_WithoutIngressUrl_SaysSo()
    {
        using var shipper = new IngressShipper(new ShippingSettings { Auth = ShippingAuth.None }, TimeProvider.System, NullLogger.Instance);

        Assert.That(shipper.ConfigurationProblem, Is.EqualTo("ingress_url is not set"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    private IngressShipper Shipper(TestHttpServer server, ShippingSettings settings, bool useHandler = true, TimeProvider? time = null, RecordingLogger? logger = null)
    {
        var url = new Uri(server.BaseAddress, "/api/ingress/v1/upload");
        var configured = new ShippingSettings
        {
            IngressUrl = url,
            Auth = settings.Auth,
            Username = settings.Username,
            Password = settings.Password,
            Identity = settings.Identity,
            ClientCertificate = settings.ClientCertificate,
            ClientKey = settings.ClientKey,
            CaCertificate = settings.CaCertificate,
            BearerToken = settings.BearerToken,
            Headers = settings.Headers,
            PayloadContentType = PayloadType,
            Timeout = settings.Timeout,
            Retries = settings.Retries,
            RetryBackoff = settings.RetryBackoff,
        };
        return new IngressShipper(configured, time ?? TimeProvider.System, (Microsoft.Extensions.Logging.ILogger?)logger ?? NullLogger.Instance, useHandler ? new SocketsHttpHandler() : null);
    }

    private static async Task Answer(HttpContext context, int status, string body = "")
    {
        context.Response.StatusCode = status;
        if (body.Length > 0)
        {
            await context.Response.WriteAsync(body);
        }
    }

    private static async Task<List<(ContentDispositionHeaderValue Disposition, string? ContentType, byte[] Data)>> ReadPartsAsync(RecordedRequest request)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.Headers["Content-Type"]).Boundary).Value!;
        var reader = new MultipartReader(boundary, new MemoryStream(request.Body));
        var parts = new List<(ContentDispositionHeaderValue, string?, byte[])>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var data = new MemoryStream();
            await section.Body.CopyToAsync(data);
            parts.Add((ContentDispositionHeaderValue.Parse(section.ContentDisposition), section.ContentType, data.ToArray()));
        }

        return parts;
    }
}
