using System.Net;
using Gordon.Core.Hosting;

namespace Gordon.Core.Tests.Hosting;

public sealed class ListenAddressTests
{
    [TestCase("127.0.0.1:8080", "127.0.0.1", 8080, true)]
    [TestCase("[::1]:9000", "::1", 9000, true)]
    [TestCase("0.0.0.0:80", "0.0.0.0", 80, false)]
    [TestCase("http://127.0.0.1:0/", "127.0.0.1", 0, true)]
    [TestCase("localhost:8081", "127.0.0.1", 8081, true)]
    [TestCase("*:8080", "::", 8080, false)]
    public void TryParse_AcceptsHostPortForms(string text, string ip, int port, bool loopback)
    {
        Assert.That(ListenAddress.TryParse(text, out var address, out var error), Is.True, error);
        Assert.That(address.Address, Is.EqualTo(IPAddress.Parse(ip)));
        Assert.That(address.Port, Is.EqualTo(port));
        Assert.That(address.IsLoopback, Is.EqualTo(loopback));
    }

    [TestCase("8080", "host:port")]
    [TestCase("127.0.0.1:99999", "host:port")]
    [TestCase("127.0.0.1:http", "host:port")]
    [TestCase("example.org:8080", "\"example.org\"")]
    public void TryParse_RejectsOtherText_NamingWhatWasExpected(string text, string expected)
    {
        Assert.That(ListenAddress.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(expected));
    }
}
