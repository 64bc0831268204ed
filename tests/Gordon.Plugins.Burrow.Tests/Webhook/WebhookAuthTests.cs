using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gordon.Plugins.Burrow.Tests.Support;
using Gordon.Plugins.Burrow.Webhook;

namespace Gordon.Plugins.Burrow.Tests.Webhook;

public sealed class WebhookAuthTests
{
    private static readonly (string, object)[] Basic = [("username", "burrow"), ("password", "s3cret:with colon")];

    [Test]
    [CancelAfter(30_000)]
    public async Task AuthOff_AcceptsAnyone(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);

        using var response = await bed.PostAsync(BurrowBodies.BareStatus, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task BasicAuth_RightCredentials_Accepted(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, config: Basic);

        using var response = await SendAsync(bed, BasicHeader("burrow", "s3cret:with colon"), cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(bed.Sink.Events, Has.Count.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task BasicAuth_MissingOrWrongCredentials_Return401WithChallenge_AndAreCounted(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, config: Basic);

        using var missing = await SendAsync(bed, null, cancellationToken);
        using var wrong = await SendAsync(bed, BasicHeader("burrow", "guess"), cancellationToken);
        using var garbage = await SendAsync(bed, new AuthenticationHeaderValue("Basic", "%%%not-base64"), cancellationToken);
        using var bearer = await SendAsync(bed, new AuthenticationHeaderValue("Bearer", "s3cret"), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(new[] { missing, wrong, garbage, bearer }.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(missing.Headers.WwwAuthenticate.ToString(), Does.StartWith("Basic"));
            Assert.That(bed.Sink.Events, Is.Empty);
            Assert.That(bed.Metrics.Count(WebhookMetricNames.AuthFailures, WebhookMetricNames.ReasonTag, "credentials"), Is.EqualTo(4));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task SharedSecretHeader_OnlyTheRightTokenPasses(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, config: [("auth_header", "X-Gordon-Token"), ("auth_token", "tok-123")]);

        using var none = await SendAsync(bed, null, cancellationToken);
        using var wrong = await SendAsync(bed, null, cancellationToken, ("X-Gordon-Token", "tok-124"));
        using var right = await SendAsync(bed, null, cancellationToken, ("X-Gordon-Token", "tok-123"));

        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(none.Headers.WwwAuthenticate, Is.Empty);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AddressAllowlist_WithoutTheClient_Returns403_AndIsCounted(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, config: ("allow_cidrs", new[] { "10.0.0.0/8", "192.0.2.7" }));

        using var response = await SendAsync(bed, null, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(bed.Metrics.Count(WebhookMetricNames.AuthFailures, WebhookMetricNames.ReasonTag, "address"), Is.EqualTo(1));
        Assert.That(bed.Sink.Events, Is.Empty);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AddressAllowlist_WithTheClient_Accepts(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, config: ("allow_cidrs", new[] { "10.0.0.0/8", "127.0.0.0/8" }));

        using var response = await SendAsync(bed, null, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AllChecksMustPass_AnAllowedAddressWithoutCredentialsIsRefused(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, config: [.. Basic, ("allow_cidrs", new[] { "127.0.0.1" })]);

        using var withoutCredentials = await SendAsync(bed, null, cancellationToken);
        using var withCredentials = await SendAsync(bed, BasicHeader("burrow", "s3cret:with colon"), cancellationToken);

        Assert.That(withoutCredentials.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(withCredentials.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AuthFailures_KeepTheirCodes_EvenInKarrotCompatibleMode(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, config: [.. Basic, ("karrot_compatible_errors", true)]);

        using var response = await SendAsync(bed, null, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Reporters_NeedAuth_ButHeartbeatDoesNot(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, config: Basic);

        using var reporters = await bed.Client.GetAsync(new Uri("/reporters/", UriKind.Relative), cancellationToken);
        using var reporter = await bed.Client.GetAsync(new Uri("/reporters/prometheus", UriKind.Relative), cancellationToken);
        using var heartbeat = await bed.Client.GetAsync(new Uri("/heartbeat", UriKind.Relative), cancellationToken);

        Assert.That(reporters.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(reporter.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(heartbeat.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static AuthenticationHeaderValue BasicHeader(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    private static Task<HttpResponseMessage> SendAsync(
        WebhookTestBed bed, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/burrow") { Content = WebhookTestBed.Json(BurrowBodies.BareStatus) };
        request.Headers.Authorization = authorization;
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return bed.Client.SendAsync(request, cancellationToken);
    }
}
