using System.Globalization;
using System.Net;

namespace Gordon.Core.Hosting;

/// <summary>
/// A <c>[core.http] listen</c> value: <c>127.0.0.1:8080</c>, <c>[::1]:8080</c>, <c>0.0.0.0:8080</c>,
/// <c>localhost:8080</c>, or the same with an <c>http://</c> prefix. Port 0 picks a free port.
/// </summary>
internal sealed record ListenAddress(IPAddress Address, int Port, bool IsLocalhostName, bool IsHttps = false)
{
    public bool IsLoopback => IsLocalhostName || IPAddress.IsLoopback(Address);

    public static bool TryParse(string text, out ListenAddress address, out string error)
    {
        address = null!;
        var value = text.Trim();
        var https = false;
        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            value = value["http://".Length..].TrimEnd('/');
        }
        else if (value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            value = value["https://".Length..].TrimEnd('/');
            https = true;
        }

        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"expected host:port such as \"127.0.0.1:8080\" or \"[::1]:8080\", got \"{text}\"";
            return false;
        }

        var host = value[..colon].Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = new ListenAddress(IPAddress.Loopback, port, IsLocalhostName: true, https);
        }
        else if (host is "*" or "+")
        {
            address = new ListenAddress(IPAddress.IPv6Any, port, IsLocalhostName: false, https);
        }
        else if (IPAddress.TryParse(host, out var ip))
        {
            address = new ListenAddress(ip, port, IsLocalhostName: false, https);
        }
        else
        {
            error = $"expected an IP address, \"localhost\" or \"*\" before the port, got \"{host}\"";
            return false;
        }

        error = string.Empty;
        return true;
    }
}
