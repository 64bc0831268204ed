using System.Text.Json;
using Gordon.Abstractions.Configuration;
using Gordon.Core.Configuration;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Configuration;

public sealed class ConfigRedactorTests
{
    [TestCase("password")]
    [TestCase("auth_token")]
    [TestCase("client_secret")]
    [TestCase("secret_access_key")]
    [TestCase("api_key")]
    public void Redact_SecretKey_IsReplaced(string key)
    {
        var redacted = ConfigRedactor.Redact(ConfigToml.Parse($"{key} = \"hunter2\"\nname = \"visible\"\n"));

        Assert.That(redacted[key].Value, Is.EqualTo(SecretKeys.Redacted));
        Assert.That(redacted["name"].Value, Is.EqualTo("visible"));
    }

    [Test]
    public void Redact_UrlWithPasswordUnderAPlainKey_HidesThePassword()
    {
        var redacted = ConfigRedactor.Redact(ConfigToml.Parse("[storage]\nurl = \"postgresql://gordon:hunter2@127.0.0.1/events\"\n"));

        Assert.That(((ConfigTable)redacted["storage"].Value)["url"].Value, Is.EqualTo("postgresql://gordon:***@127.0.0.1/events"));
    }

    [Test]
    public void Redact_NestedTablesAndArrays()
    {
        var redacted = ConfigRedactor.Redact(ConfigToml.Parse("""
            [collectors.insights]
            username = "me"
            password = "p"
            tokens = ["a", "b"]
            [[collectors.jobs]]
            private_key = "k"
            [aws.credentials]
            user = "u"
            port = 5
            """));

        var insights = redacted.FindTable("collectors.insights")!;
        Assert.That(insights["username"].Value, Is.EqualTo("me"));
        Assert.That(insights["password"].Value, Is.EqualTo(SecretKeys.Redacted));
        Assert.That(ConfigToml.Plain(insights["tokens"].Value), Is.EqualTo(new List<object> { SecretKeys.Redacted, SecretKeys.Redacted }));
        var job = (ConfigTable)((ConfigArray)redacted.FindTable("collectors")!["jobs"].Value)[0].Value;
        Assert.That(job["private_key"].Value, Is.EqualTo(SecretKeys.Redacted));
        Assert.That(redacted.FindTable("aws.credentials")!["user"].Value, Is.EqualTo(SecretKeys.Redacted));
        Assert.That(redacted.FindTable("aws.credentials")!["port"].Value, Is.EqualTo(SecretKeys.Redacted));
    }

    [Test]
    public void Redact_NumericSecret_IsReplaced_EmptySecretStaysEmpty()
    {
        var redacted = ConfigRedactor.Redact(ConfigToml.Parse("pin_token = 1234\nauth_token = \"\"\n"));

        Assert.That(redacted["pin_token"].Value, Is.EqualTo(SecretKeys.Redacted));
        Assert.That(redacted["auth_token"].Value, Is.EqualTo(string.Empty));
    }

    [Test]
    public void Redact_KeepsLocationsAndPaths_AndLeavesTheOriginalAlone()
    {
        var original = ConfigToml.Parse("[db]\n\npassword = \"p\"\n", "u.toml");

        var redacted = ConfigRedactor.Redact(original);

        Assert.That(redacted.FindTable("db")!["password"].Location, Is.EqualTo(new ConfigLocation("u.toml", 3, 1)));
        Assert.That(redacted.FindTable("db")!.Path, Is.EqualTo("db"));
        Assert.That(original.FindTable("db")!["password"].Value, Is.EqualTo("p"));
    }

    [Test]
    public void ToJson_WritesEveryTypeAndRedacts()
    {
        var json = ConfigRedactor.ToJson(ConfigToml.Parse("""
            s = "x"
            i = 9223372036854775807
            f = 0.5
            inf = inf
            b = false
            t = 1979-05-27T07:32:00Z
            a = [1, "two"]
            [core.http]
            auth_token = "s3cret"
            """), indented: false);

        Assert.That(json, Does.Not.Contain("s3cret"));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.That(root.GetProperty("s").GetString(), Is.EqualTo("x"));
        Assert.That(root.GetProperty("i").GetInt64(), Is.EqualTo(long.MaxValue));
        Assert.That(root.GetProperty("f").GetDouble(), Is.EqualTo(0.5));
        Assert.That(root.GetProperty("inf").GetString(), Is.EqualTo("inf"));
        Assert.That(root.GetProperty("b").GetBoolean(), Is.False);
        Assert.That(root.GetProperty("t").GetString(), Is.EqualTo("1979-05-27T07:32:00.0000000+00:00"));
        Assert.That(root.GetProperty("a").GetArrayLength(), Is.EqualTo(2));
        Assert.That(root.GetProperty("core").GetProperty("http").GetProperty("auth_token").GetString(), Is.EqualTo(SecretKeys.Redacted));
    }

    [Test]
    public void WriteJson_KeepsKeyOrder()
    {
        var json = ConfigRedactor.ToJson(ConfigToml.Parse("b = 1\na = 2\n"), indented: false);

        Assert.That(json, Is.EqualTo("{\"b\":1,\"a\":2}"));
    }
}
