namespace Gordon.Plugins.RabbitMQ.Tests.Support;

public sealed class BrokerFixtureTests : BrokerTestBase
{
    [Test]
    public async Task Broker_RunsOnLoopbackWithItsOwnNodeName()
    {
        var status = await Broker.CtlAsync(["status"]);

        Assert.Multiple(() =>
        {
            Assert.That(Broker.NodeName, Does.StartWith("gordon-test-").And.EndWith("@localhost"));
            Assert.That(status, Does.Contain(Broker.NodeName));
            Assert.That(Url, Does.StartWith("amqp://guest:guest@127.0.0.1:"));
        });
    }

    [Test]
    public void StartAsync_NoRabbitMqBinaries_FailsNamingThePackage()
    {
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => RabbitMqBroker.StartAsync("/nonexistent/rabbitmq/bin"));

        Assert.That(error!.Message, Does.Contain("rabbitmq-server not found in /nonexistent/rabbitmq/bin").And.Contain("install the Debian package rabbitmq-server"));
    }

    [Test]
    public async Task Probe_ConnectsToTheFixturesVirtualHost()
    {
        await using var probe = await BrokerProbe.ConnectAsync(Url);
        var queue = Unique("q");

        await probe.DeclareQueueAsync(queue, string.Empty, string.Empty);

        Assert.That(await probe.ReadyAsync(queue), Is.Zero);
    }
}
