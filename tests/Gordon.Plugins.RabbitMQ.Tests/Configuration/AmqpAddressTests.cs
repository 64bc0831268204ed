using Gordon.Plugins.RabbitMQ.Configuration;

namespace Gordon.Plugins.RabbitMQ.Tests.Configuration;

public sealed class AmqpAddressTests
{
    [TestCase("amqp://u:p@host:1234/vh", "host", 1234, "vh", "u", "p", false)]
    [TestCase("amqp://host", "host", 5672, "/", "guest", "guest", false)]
    [TestCase("amqps://host/", "host", 5671, "/", "guest", "guest", true)]
    [TestCase("amqp://host/%2f", "host", 5672, "/", "guest", "guest", false)]
    [TestCase("amqp://host/a%2Fb", "host", 5672, "a/b", "guest", "guest", false)]
    [TestCase("amqp://us%40er:p%3Aa%40ss@[::1]:5673/", "::1", 5673, "/", "us@er", "p:a@ss", false)]
    [TestCase("amqp://onlyuser@host", "host", 5672, "/", "onlyuser", "", false)]
    public void TryParse_ValidUrl_TakesItApart(string url, string host, int port, string vhost, string user, string password, bool tls)
    {
        Assert.That(AmqpAddress.TryParse(url, out var address, out var error), Is.True, error);
        Assert.That(
            (address!.Host, address.Port, address.VirtualHost, address.UserName, address.Password, address.Tls),
            Is.EqualTo((host, port, vhost, user, password, tls)));
    }

    [TestCase("http://u:secretpw@host/", "expected an amqp:// or amqps:// URL")]
    [TestCase("amqp:host", "expected an amqp:// or amqps:// URL")]
    [TestCase("not a url secretpw", "expected an amqp:// or amqps:// URL")]
    [TestCase("amqp://u:secretpw@host/a/b", "one virtual host")]
    [TestCase("amqp://u:secretpw@host/?heartbeat=10", "must not have a query")]
    public void TryParse_InvalidUrl_SaysWhyWithoutThePassword(string url, string reason)
    {
        Assert.That(AmqpAddress.TryParse(url, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason).And.Not.Contain("secretpw"));
    }

    [Test]
    public void Redacted_And_ToString_NeverShowThePassword()
    {
        AmqpAddress.TryParse("amqp://gordon:s3cr3t@mq.example:5672/prod", out var address, out _);

        Assert.Multiple(() =>
        {
            Assert.That(address!.Redacted, Is.EqualTo("amqp://gordon@mq.example:5672/prod"));
            Assert.That(address.ToString(), Does.Not.Contain("s3cr3t"));
            Assert.That($"{address}", Does.Not.Contain("s3cr3t"));
        });
    }
}
