using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Hosting;

/// <summary>The one HTTP server's TLS and limits, through the real host.</summary>
public sealed class KestrelHardeningTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Tls_WithPemCertificateAndKey_ServesHttpsWithThatCertificate(CancellationToken cancellationToken)
    {
        using var root = new ConfigTempRoot();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=gordon-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        await File.WriteAllTextAsync(Path.Combine(root.Path, "cert.pem"), certificate.ExportCertificatePem(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(root.Path, "key.pem"), key.ExportPkcs8PrivateKeyPem(), cancellationToken);
        root.WithDefaults("""
            [core]
            state_dir = "state"

            [core.http]
            listen = "https://127.0.0.1:0"
            tls_certificate = "cert.pem"
            tls_key = "key.pem"
            """);
        X509Certificate2? presented = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                presented = cert is null ? null : X509CertificateLoader.LoadCertificate(cert.RawData);
                return cert?.Thumbprint == certificate.Thumbprint;
            },
        };
        using var client = new HttpClient(handler);

        await using var daemon = await InProcessDaemon.StartAsync(root.Path, cancellationToken);
        Assert.That(daemon.Address.Scheme, Is.EqualTo("https"));
        using var response = await client.GetAsync(new Uri(daemon.Address, "/health"), cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(presented?.Subject, Is.EqualTo("CN=gordon-test"));
        presented?.Dispose();
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Limits_TooManyHeaders_AreRefusedBeforeAnyRoute(CancellationToken cancellationToken)
    {
        using var root = new ConfigTempRoot().WithDefaults("""
            [core]
            state_dir = "state"

            [core.http]
            listen = "127.0.0.1:0"
            max_request_headers = 10
            """);
        using var client = new HttpClient();
        await using var daemon = await InProcessDaemon.StartAsync(root.Path, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(daemon.Address, "/health"));
        for (var i = 0; i < 20; i++)
        {
            request.Headers.Add($"X-Extra-{i}", "x");
        }

        using var response = await client.SendAsync(request, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestHeaderFieldsTooLarge));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task UnhandledError_AnswersWithoutStackTraceOrPath(CancellationToken cancellationToken)
    {
        using var root = new ConfigTempRoot().WithDefaults("""
            [core]
            state_dir = "state"

            [core.http]
            listen = "127.0.0.1:0"
            """);
        using var client = new HttpClient();
        await using var daemon = await InProcessDaemon.StartAsync(root.Path, cancellationToken);

        // A wrong method on a real route: whatever the server answers must not leak internals.
        using var response = await client.GetAsync(new Uri(daemon.Address, "/deadletters/replay"), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);

        Assert.That((int)response.StatusCode, Is.InRange(400, 499));
        Assert.That(body, Does.Not.Contain("   at ").And.Not.Contain(".cs:line").And.Not.Contain("/work/"));
    }
}
