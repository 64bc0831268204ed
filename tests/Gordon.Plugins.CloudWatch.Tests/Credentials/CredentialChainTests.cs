using Gordon.Abstractions.Plugins;
using Gordon.Plugins.CloudWatch.Credentials;
using Gordon.Plugins.CloudWatch.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.CloudWatch.Tests.Credentials;

/// <summary>
/// The real credential chain (AWSSDK.Core's environment and shared-file providers) end to end: the fake CloudWatch
/// verifies that the request was signed with exactly the credentials the chain should have found.
/// </summary>
[NonParallelizable] // The chain reads process-wide environment variables and the shared AWS files.
public sealed class CredentialChainTests
{
    private FakeCloudWatch _server = null!;

    [SetUp]
    public async Task StartServer()
    {
        _server = await FakeCloudWatch.StartAsync();
        _server.Know("AKIDFROMENV", "secret-from-env");
        _server.Know("AKIDFROMFILE", "secret-from-file");
        _server.Know("AKIDFROMCONFIG", "secret-from-config");
    }

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    [CancelAfter(10_000)]
    public async Task EnvironmentVariables_SignTheRequest(CancellationToken cancellationToken)
    {
        using var env = new EnvironmentScope(values: [("AWS_ACCESS_KEY_ID", "AKIDFROMENV"), ("AWS_SECRET_ACCESS_KEY", "secret-from-env"), ("AWS_SESSION_TOKEN", "env-token")]);

        var request = await SendOneAsync(new Dictionary<string, object>(), cancellationToken);

        Assert.That(request.Signature.Valid, Is.True, request.Signature.Problem);
        Assert.That(request.Signature.AccessKey, Is.EqualTo("AKIDFROMENV"));
        Assert.That(request.Signature.SignedHeaders, Does.Contain("x-amz-security-token"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SharedCredentialsFile_ProfileNamedInConfig_SignsTheRequest(CancellationToken cancellationToken)
    {
        using var env = new EnvironmentScope(credentials:
            "[default]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = wrong\n\n"
            + "[gordon-test]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = secret-from-file\n");

        var request = await SendOneAsync(new Dictionary<string, object> { ["profile"] = "gordon-test" }, cancellationToken);

        Assert.That(request.Signature.Valid, Is.True, request.Signature.Problem);
        Assert.That(request.Signature.AccessKey, Is.EqualTo("AKIDFROMFILE"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ConfigFile_ProfileFromAwsProfile_SignsTheRequest(CancellationToken cancellationToken)
    {
        using var env = new EnvironmentScope(
            config: "[profile from-config]\naws_access_key_id = AKIDFROMCONFIG\naws_secret_access_key = secret-from-config\nregion = us-east-1\n",
            values: [("AWS_PROFILE", "from-config")]);

        var request = await SendOneAsync(new Dictionary<string, object>(), cancellationToken);

        Assert.That(request.Signature.Valid, Is.True, request.Signature.Problem);
        Assert.That(request.Signature.AccessKey, Is.EqualTo("AKIDFROMCONFIG"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RoleProfile_AssumesTheRoleWithTheSourceProfilesKeys(CancellationToken cancellationToken)
    {
        _server.AssumedRole = ("ASIAFROMPROFILE", "role-secret", "role-token", PluginHarness.Start.AddHours(1));
        using var env = new EnvironmentScope(
            credentials: "[base]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = secret-from-file\n",
            config: "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = base\n");

        var request = await SendOneAsync(new Dictionary<string, object> { ["profile"] = "ops" }, cancellationToken);

        var assume = _server.Requests.First(r => r.Action == "AssumeRole");
        Assert.That(assume.Signature.AccessKey, Is.EqualTo("AKIDFROMFILE"));
        Assert.That(assume.Form["RoleArn"], Is.EqualTo("arn:aws:iam::123456789012:role/ops"));
        Assert.That(request.Signature.AccessKey, Is.EqualTo("ASIAFROMPROFILE"));
        Assert.That(request.Signature.Valid, Is.True, request.Signature.Problem);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task WebIdentity_ExchangesTheTokenFileWithSts(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var tokenFile = Path.Combine(dir.Path, "token");
        await File.WriteAllTextAsync(tokenFile, "eyJ.web.identity\n", cancellationToken);
        _server.AssumedRole = ("ASIAFROMWEBID", "web-secret", "web-token", PluginHarness.Start.AddHours(1));
        using var env = new EnvironmentScope(values: [("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile), ("AWS_ROLE_ARN", "arn:aws:iam::1:role/pod")]);

        var request = await SendOneAsync(new Dictionary<string, object>(), cancellationToken);

        var exchange = _server.Requests.First(r => r.Action == "AssumeRoleWithWebIdentity");
        Assert.That(exchange.Form["WebIdentityToken"], Is.EqualTo("eyJ.web.identity"));
        Assert.That(exchange.Form["RoleArn"], Is.EqualTo("arn:aws:iam::1:role/pod"));
        Assert.That(request.Signature.AccessKey, Is.EqualTo("ASIAFROMWEBID"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task NoCredentialsAnywhere_PluginStartsUnhealthyWithAClearDetail_AndSendsNothing(CancellationToken cancellationToken)
    {
        using var env = new EnvironmentScope();
        await using var harness = await PluginHarness.CreateAsync(_server, credentials: PluginHarness.UseChain);

        var health = harness.Plugin.GetHealth();
        Assert.That(health.State, Is.EqualTo(PluginHealthState.Unhealthy));
        Assert.That(health.Detail, Does.StartWith("no AWS credentials"));
        Assert.That(health.Detail, Does.Contain("environment variables").And.Contain("profile 'default'").And.Contain("EC2 instance metadata: disabled"));
        Assert.That(harness.Logs.Has(8003, "no AWS credentials found; tried environment variables"), Is.True);
        Assert.That(health.Detail, Does.Not.Contain("no AWS credentials: no AWS credentials"));

        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));
        await harness.TickAndFlushAsync(cancellationToken);

        Assert.That(_server.Requests, Is.Empty);
        Assert.That(harness.Plugin.Buffered, Is.EqualTo(4));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task CredentialsAppearLater_TheNextFlushFindsThem(CancellationToken cancellationToken)
    {
        using var env = new EnvironmentScope();
        await using var harness = await PluginHarness.CreateAsync(_server, credentials: PluginHarness.UseChain);
        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));

        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIDFROMENV");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "secret-from-env");
        await harness.TickAndFlushAsync(cancellationToken);

        Assert.That(_server.AcceptedDatums, Has.Count.EqualTo(4));
        Assert.That(harness.Plugin.GetHealth(), Is.EqualTo(PluginHealth.Healthy));
    }

    [Test]
    public void ProfileNamedInConfig_Missing_StopsTheChainWithTheProfileName()
    {
        using var env = new EnvironmentScope(values: [("AWS_ACCESS_KEY_ID", "AKIDFROMENV"), ("AWS_SECRET_ACCESS_KEY", "secret-from-env")]);
        using var chain = new CredentialChain("nope", () => throw new InvalidOperationException("no STS here"), new FakeTimeProvider());

        var ex = Assert.ThrowsAsync<CredentialsUnavailableException>(async () => await chain.GetAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("profile 'nope'"));
    }

    private async Task<ReceivedRequest> SendOneAsync(Dictionary<string, object> config, CancellationToken cancellationToken)
    {
        await using var harness = await PluginHarness.CreateAsync(_server, config, credentials: PluginHarness.UseChain);
        await harness.HandleAsync(ConsumerEvents.Status(PluginHarness.Start));
        await harness.TickAndFlushAsync(cancellationToken);
        return _server.Requests.Last(r => r.Action == "PutMetricData");
    }
}
