using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gordon.Plugins.Collectors.Http;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Collectors.Insights;

/// <summary>
/// Ships a tarball as the original did: a multipart/form-data POST with one part named <c>file</c> (filename = the
/// tarball's name, content type = the payload type) to <c>ingress_url</c>, authenticated by Basic auth, an
/// <c>x-rh-identity</c> header, a client certificate or a bearer token. Any 2xx is success. Unlike the original, every
/// attempt has a timeout, server errors and timeouts are retried with capped exponential backoff, and custom headers
/// need no <c>Content-Type</c> (the original raised KeyError without one).
/// </summary>
internal sealed partial class IngressShipper : IPackageShipper, IDisposable
{
    private readonly ShippingSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpMessageHandler? _handler;
    private readonly Lock _gate = new();
    private HttpClient? _client;

    // handler: sent through instead of the one built from the settings (tests).
    public IngressShipper(ShippingSettings settings, TimeProvider time, ILogger logger, HttpMessageHandler? handler = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _handler = handler;
    }

    public string? ConfigurationProblem => _settings switch
    {
        { IngressUrl: null } => "ingress_url is not set",
        { Auth: ShippingAuth.UserPass, Username: null or "" } => "username is not set (auth = \"user-pass\")",
        { Auth: ShippingAuth.UserPass, Password: null or "" } => "password is not set (auth = \"user-pass\")",
        { Auth: ShippingAuth.MutualTls, ClientCertificate: null or "" } => "client_cert is not set (auth = \"mutual-tls\")",
        { Auth: ShippingAuth.MutualTls, ClientKey: null or "" } => "client_key is not set (auth = \"mutual-tls\")",
        { Auth: ShippingAuth.Bearer, BearerToken: null or "" } => "bearer_token is not set (auth = \"bearer\")",
        _ => null,
    };

    public async Task<ShipOutcome> ShipAsync(string tarPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tarPath);
        if (ConfigurationProblem is { } problem)
        {
            return new ShipOutcome(false, problem);
        }

        HttpClient client;
        try
        {
            client = Client();
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return new ShipOutcome(false, "cannot load the TLS certificates: " + e.Message);
        }

        var backoff = new Backoff(_settings.RetryBackoff, _settings.MaxRetryBackoff);
        var name = Path.GetFileName(tarPath);
        string error = "not attempted";
        for (var attempt = 0; ; attempt++)
        {
            var (done, retryable, message) = await AttemptAsync(client, tarPath, name, cancellationToken).ConfigureAwait(false);
            if (done)
            {
                return new ShipOutcome(true, null);
            }

            error = message;
            if (!retryable || attempt >= _settings.Retries)
            {
                return new ShipOutcome(false, attempt > 0 ? $"{error} (after {attempt + 1} attempts)" : error);
            }

            var delay = backoff.Delay(attempt);
            Log.Retrying(_logger, name, error, delay.TotalSeconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _client?.Dispose();

    private async Task<(bool Done, bool Retryable, string Error)> AttemptAsync(HttpClient client, string tarPath, string name, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_settings.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _settings.IngressUrl);
            foreach (var (header, value) in _settings.Headers)
            {
                if (!header.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.TryAddWithoutValidation(header, value);
                }
            }

            switch (_settings.Auth)
            {
                case ShippingAuth.UserPass:
                    var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_settings.Username}:{_settings.Password}"));
                    request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
                    break;
                case ShippingAuth.XRhIdentity:
                    request.Headers.TryAddWithoutValidation("x-rh-identity", Convert.ToBase64String(Encoding.UTF8.GetBytes(_settings.Identity)));
                    break;
                case ShippingAuth.Bearer:
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _settings.BearerToken);
                    break;
            }

            var file = new FileStream(tarPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            var part = new StreamContent(file);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(_settings.PayloadContentType);
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"" + name + "\"" };
            using var content = new MultipartFormDataContent { part };
            request.Content = content;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return (true, false, string.Empty);
            }

            var body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            return (false, HttpAttempt.IsRetryable(response.StatusCode), $"status {(int)response.StatusCode}, {HttpAttempt.Excerpt(body)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, true, $"no answer within {_settings.Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return (false, true, e.Message);
        }
    }

    private HttpClient Client()
    {
        lock (_gate)
        {
            return _client ??= new HttpClient(_handler ?? BuildHandler(), disposeHandler: _handler is null) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }
    }

    private SocketsHttpHandler BuildHandler()
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (_settings.Auth == ShippingAuth.MutualTls)
        {
            var certificate = X509Certificate2.CreateFromPemFile(_settings.ClientCertificate!, _settings.ClientKey);
            handler.SslOptions.ClientCertificates = [certificate];
        }

        if (_settings.CaCertificate is { } caPath)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caPath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, roots);
        }

        return handler;
    }

    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only an unknown root may be forgiven, and only when it is one of the configured authorities.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 11120, Level = LogLevel.Warning, Message = "Upload of {Name} failed ({Error}); retrying in {Seconds} s")]
        public static partial void Retrying(ILogger logger, string name, string error, double seconds);
    }
}
