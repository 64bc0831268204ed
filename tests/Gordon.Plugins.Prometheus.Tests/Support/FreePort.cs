using System.Net;
using System.Net.Sockets;

namespace Gordon.Plugins.Prometheus.Tests.Support;

/// <summary>A loopback port nobody listens on (for servers that cannot be told to pick one themselves).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
