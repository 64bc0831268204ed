namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>A fixture with its own virtual host on the shared node, so its queues and connections are its own.</summary>
public abstract class BrokerTestBase
{
    private protected RabbitMqBroker Broker { get; private set; } = null!;

    private protected string VirtualHost { get; private set; } = string.Empty;

    private protected string Url => Broker.Url(VirtualHost);

    [OneTimeSetUp]
    public async Task StartBrokerAsync()
    {
        Broker = await SharedBroker.GetAsync();
        VirtualHost = await Broker.CreateVirtualHostAsync();
    }

    /// <summary>A name no other test uses.</summary>
    private protected static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}
