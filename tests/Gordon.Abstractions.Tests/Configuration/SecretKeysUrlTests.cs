using Gordon.Abstractions.Configuration;

namespace Gordon.Abstractions.Tests.Configuration;

public sealed class SecretKeysUrlTests
{
    [TestCase("postgresql://gordon:s3cret@127.0.0.1:5432/events", "postgresql://gordon:***@127.0.0.1:5432/events")]
    [TestCase("amqp://user:p@ss@broker/vhost", "amqp://user:***@broker/vhost")]
    [TestCase("mysql://root:pw@localhost", "mysql://root:***@localhost")]
    [TestCase("https://u:pw@h/p?q=a:b@c", "https://u:***@h/p?q=a:b@c")]
    public void RedactUrlPassword_HidesOnlyThePassword(string url, string expected) =>
        Assert.That(SecretKeys.RedactUrlPassword(url), Is.EqualTo(expected));

    [TestCase("postgresql://gordon@127.0.0.1/events")]
    [TestCase("sqlite:///var/lib/gordon/events.db")]
    [TestCase("http://127.0.0.1:8080/path")]
    [TestCase("plain text: with colon @ and at")]
    [TestCase("amqp://user:@broker")]
    public void RedactUrlPassword_WithoutAPassword_IsUnchanged(string text) =>
        Assert.That(SecretKeys.RedactUrlPassword(text), Is.EqualTo(text));
}
