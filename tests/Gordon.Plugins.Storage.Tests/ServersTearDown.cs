using Gordon.Plugins.Storage.Tests.Support;

// Outside any namespace: runs once for the whole assembly.
[SetUpFixture]
#pragma warning disable CA1050 // NUnit runs an assembly-wide SetUpFixture only when it is in no namespace.
public sealed class ServersTearDown
#pragma warning restore CA1050
{
    [OneTimeTearDown]
    public void StopServers() => Servers.StopAll();
}
