using Gordon.Plugins.RabbitMQ.Tests.Support;

// No namespace: an assembly-wide set-up fixture, so the shared node is stopped once, after every test.
[SetUpFixture]
public sealed class BrokerTeardown
{
    [OneTimeTearDown]
    public async Task StopBrokerAsync() => await SharedBroker.StopAsync();
}
