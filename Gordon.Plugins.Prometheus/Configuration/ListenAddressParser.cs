using System.Globalization;
using System.Net;

namespace Gordon.Plugins.Prometheus.Configuration;

/// <summary>
/// Parses <c>listen</c> the way <c>[core.http] listen</c> is written: <c>127.0.0.1:9464</c>, <c>[::1]:9464</c>,
/// <c>0.0.0.0:9464</c>, <c>*:9464</c>, <c>localhost:9464</c>, optionally with <c>http://</c>; port 0 picks a free port.
/// </summary>
internal static class ListenAddressParser
{
    /// <summary>Parses a listen address.</summary>
    /// <param name="text">The configured value.</param>
    /// <param name="endPoint">The address and port.</param>
    /// <param name="isLocalhost">True for <c>localhost</c>, which listens on both loopback addresses.</param>
    /// <param name="error">What was wrong, when parsing failed.</param>
    /// <returns>True when the value is valid.</returns>
    public static bool TryParse(string text, out IPEndPoint endPoint, out bool isLocalhost, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        isLocalhost = false;
        var value = text.Trim();
        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            value = value["http://".Length..].TrimEnd('/');
        }

        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"expected host:port such as \"127.0.0.1:9464\" or \"[::1]:9464\", got \"{text}\"";
            return false;
        }

        var host = value[..colon].Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            isLocalhost = true;
            endPoint = new IPEndPoint(IPAddress.Loopback, port);
        }
        else if (host is "*" or "+")
        {
            endPoint = new IPEndPoint(IPAddress.IPv6Any, port);
        }
        else if (IPAddress.TryParse(host, out var ip))
        {
            endPoint = new IPEndPoint(ip, port);
        }
        else
        {
            error = $"expected an IP address, \"localhost\" or \"*\" before the port, got \"{host}\" in \"{text}\"";
            return false;
        }

        error = string.Empty;
        return true;
    }
}
