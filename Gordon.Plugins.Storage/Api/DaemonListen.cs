using System.Net;
using System.Text.Json;
using Gordon.Abstractions.Plugins;

namespace Gordon.Plugins.Storage.Api;

/// <summary>Where the daemon's HTTP server listens, read from its (redacted) configuration, for the API's access control.</summary>
internal static class DaemonListen
{
    /// <summary>True when <c>[core.http] listen</c> is reachable beyond loopback; null when no daemon tells us.</summary>
    public static bool? IsBeyondLoopback(IDaemonInfo? daemon)
    {
        if (daemon is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(daemon.GetRedactedConfigJson());
            var listen = document.RootElement.TryGetProperty("core", out var core) && core.TryGetProperty("http", out var http)
                && http.TryGetProperty("listen", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : "127.0.0.1:8080";
            return IsBeyondLoopback(listen);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static bool IsBeyondLoopback(string listen)
    {
        var value = listen.Trim();
        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            value = value["http://".Length..].TrimEnd('/');
        }

        var colon = value.LastIndexOf(':');
        var host = (colon > 0 ? value[..colon] : value).Trim('[', ']');
        return !(host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip)));
    }

    public static IReadOnlyList<string> Warnings(ApiSettings api, bool? beyondLoopback)
    {
        if (beyondLoopback is not true)
        {
            return [];
        }

        return api.AccessControl switch
        {
            AccessControl.Off => ["storage: [core.http] listen is not a loopback address and [storage.api] access_control = \"off\": anyone who reaches the port reads every stored event"],
            _ when api.Tokens.Count == 0 => ["storage: [core.http] listen is not a loopback address and [storage.api] has no tokens: every /v2 events request is refused (401) until [[storage.api.tokens]] are added"],
            _ => [],
        };
    }
}
