using System.Security.Cryptography.X509Certificates;
using Gordon.Core.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gordon.Core.Hosting;

/// <summary>The one Kestrel server: its address, TLS, and the limits that keep one client from starving the rest.</summary>
internal static class KestrelSetup
{
    public static void Configure(KestrelServerOptions kestrel, ListenAddress listen, HttpLimits limits, X509Certificate2? certificate)
    {
        kestrel.AddServerHeader = false;
        var l = kestrel.Limits;
        l.MaxRequestBodySize = limits.MaxRequestBodySize;
        l.MaxRequestHeadersTotalSize = (int)Math.Min(limits.MaxRequestHeadersTotalSize, int.MaxValue);
        l.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        l.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        l.MaxConcurrentConnections = limits.MaxConcurrentConnections;
        l.MaxConcurrentUpgradedConnections = limits.MaxConcurrentConnections;
        l.KeepAliveTimeout = limits.KeepAliveTimeout;
        l.MinRequestBodyDataRate = limits.MinRequestBodyBytesPerSecond > 0
            ? new MinDataRate(limits.MinRequestBodyBytesPerSecond, limits.MinRequestBodyGracePeriod)
            : null;

        void Endpoint(ListenOptions options)
        {
            if (certificate is not null)
            {
                options.UseHttps(certificate);
            }
        }

        if (listen.IsLocalhostName)
        {
            kestrel.ListenLocalhost(listen.Port, Endpoint);
        }
        else
        {
            kestrel.Listen(listen.Address, listen.Port, Endpoint);
        }
    }
}
