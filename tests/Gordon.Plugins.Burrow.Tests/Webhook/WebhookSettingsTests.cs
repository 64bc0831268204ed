using Gordon.Plugins.Burrow.Tests.Support;
using Gordon.Plugins.Burrow.Webhook;

namespace Gordon.Plugins.Burrow.Tests.Webhook;

public sealed class WebhookSettingsTests
{
    [Test]
    public void Defaults_AreKarrotCompatibleAndOpen()
    {
        var config = TestContexts.Config("burrow");

        var settings = WebhookSettings.Read(config);

        Assert.Multiple(() =>
        {
            Assert.That(config.Problems, Is.Empty);
            Assert.That(settings.MaxBody, Is.EqualTo(1024 * 1024));
            Assert.That(settings.KarrotCompatibleErrors, Is.False);
            Assert.That(settings.Username, Is.Null);
            Assert.That(settings.AuthToken, Is.Null);
            Assert.That(settings.AllowCidrs, Is.Empty);
            Assert.That(settings.ReportersPhase, Is.EqualTo("publish"));
            Assert.That(settings.KarrotRoutes, Is.True);
            Assert.That(new InboundAuth(settings).IsEnabled, Is.False);
        });
    }

    [TestCase("username", "burrow", "password")]
    [TestCase("password", "s3cret", "username")]
    public void HalfOfBasicAuth_IsAProblemAtTheKeySet_NamingTheMissingOne(string key, string value, string missing)
    {
        var config = TestContexts.Config("burrow", (key, value));

        WebhookSettings.Read(config);

        Assert.That(config.Problems.Single().ToString(), Does.Contain("burrow." + key).And.Contain(missing + " is not set"));
    }

    [Test]
    public void BadCidr_IsAProblemNamingTheEntry()
    {
        var config = TestContexts.Config("burrow", ("allow_cidrs", new[] { "10.0.0.0/8", "10.0.0.0/33", "nonsense" }));

        var settings = WebhookSettings.Read(config);

        Assert.That(config.Problems.Select(p => p.ToString()), Has.Exactly(1).Contains("entry 1").And.Exactly(1).Contains("entry 2"));
        Assert.That(settings.AllowCidrs, Has.Count.EqualTo(1));
    }

    [TestCase("max_body", "lots")]
    [TestCase("max_body", 10L)]
    [TestCase("karrot_compatible_errors", "yes")]
    [TestCase("allow_cidrs", "10.0.0.0/8")]
    [TestCase("reporters_phase", " ")]
    public void BadValue_IsAProblemNamingTheKey(string key, object value)
    {
        var config = TestContexts.Config("burrow", (key, value));

        WebhookSettings.Read(config);

        Assert.That(config.Problems.Select(p => p.ToString()), Has.Some.Contains("burrow." + key));
    }

    [Test]
    public void BadAuthHeaderName_IsAProblem_WhenATokenIsSet()
    {
        var config = TestContexts.Config("burrow", ("auth_token", "t"), ("auth_header", "Bad Header"));

        WebhookSettings.Read(config);

        Assert.That(config.Problems.Single().ToString(), Does.Contain("burrow.auth_header"));
    }

    [Test]
    public void SecretsNeverAppearWhenSettingsArePrinted()
    {
        var settings = WebhookSettings.Read(TestContexts.Config("burrow", ("username", "u"), ("password", "hunter2"), ("auth_token", "tok-xyz")));

        Assert.That(settings.ToString(), Does.Not.Contain("hunter2").And.Not.Contain("tok-xyz"));
    }

    [Test]
    public void EveryKeyTheWebhookReads_IsInTheInheritedKeyList()
    {
        var config = TestContexts.Config("burrow", [.. WebhookSettings.Keys.Select(k => (k, (object)"x"))]);

        WebhookSettings.Read(config);

        Assert.That(config.FindUnknownKeys(), Is.Empty);
    }
}
