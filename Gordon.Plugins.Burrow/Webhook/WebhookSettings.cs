using System.Net;
using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.Burrow.Webhook;

/// <summary>The <c>[burrow]</c> table: the webhook's settings.</summary>
internal sealed record WebhookSettings
{
    /// <summary>The default <see cref="MaxBody"/>: 1 MiB, far above an 8-partition report (about 2 KB).</summary>
    public const long DefaultMaxBody = 1024 * 1024;

    /// <summary>The default <see cref="AuthHeader"/>.</summary>
    public const string DefaultAuthHeader = "X-Burrow-Token";

    /// <summary>
    /// The keys of <c>[burrow]</c>. <c>[burrow.poller]</c> and <c>[burrow.enrich]</c> inherit them (Gordon's plugin table
    /// rule) and mark them used, so a webhook setting is not reported as an unknown key of the poller.
    /// </summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "max_body", "karrot_compatible_errors", "username", "password", "auth_header", "auth_token", "allow_cidrs",
        "default_cluster", "reporters_phase", "karrot_routes",
    ];

    public long MaxBody { get; init; } = DefaultMaxBody;

    public bool KarrotCompatibleErrors { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string AuthHeader { get; init; } = DefaultAuthHeader;

    public string? AuthToken { get; init; }

    public IReadOnlyList<IPNetwork> AllowCidrs { get; init; } = [];

    public string? DefaultCluster { get; init; }

    public string ReportersPhase { get; init; } = "publish";

    public bool KarrotRoutes { get; init; } = true;

    /// <summary>Reads the table; bad values are recorded on <paramref name="config"/> and replaced by defaults.</summary>
    public static WebhookSettings Read(ConfigSection config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var username = NullIfEmpty(config.GetOptionalString("username"));
        var password = NullIfEmpty(config.GetOptionalString("password"));
        if ((username is null) != (password is null))
        {
            // Named by the key that is set, so the problem points at its file and line.
            config.AddProblem(
                username is null ? "password" : "username",
                $"Basic auth needs both username and password; {(username is null ? "username" : "password")} is not set");
            username = password = null;
        }

        var authHeader = config.GetString("auth_header", DefaultAuthHeader);
        var authToken = NullIfEmpty(config.GetOptionalString("auth_token"));
        if (authToken is not null && (authHeader.Length == 0 || authHeader.Any(c => c <= ' ' || c == ':' || c > '~')))
        {
            config.AddProblem("auth_header", $"must be an HTTP header name (letters, digits, dashes), got \"{authHeader}\"");
        }

        var cidrs = new List<IPNetwork>();
        var cidrTexts = config.GetStringList("allow_cidrs", []);
        for (var i = 0; i < cidrTexts.Count; i++)
        {
            if (ParseNetwork(cidrTexts[i]) is { } network)
            {
                cidrs.Add(network);
            }
            else
            {
                config.AddProblem("allow_cidrs", FormattableString.Invariant(
                    $"entry {i} is not an address or CIDR block like \"10.0.0.0/8\" or \"::1/128\": \"{cidrTexts[i]}\""));
            }
        }

        var phase = config.GetString("reporters_phase", "publish");
        if (string.IsNullOrWhiteSpace(phase))
        {
            config.AddProblem("reporters_phase", "must name a phase of the route, e.g. \"publish\"");
            phase = "publish";
        }

        return new WebhookSettings
        {
            MaxBody = config.GetSize("max_body", DefaultMaxBody, min: 64),
            KarrotCompatibleErrors = config.GetBoolean("karrot_compatible_errors", false),
            Username = username,
            Password = password,
            AuthHeader = authHeader,
            AuthToken = authToken,
            AllowCidrs = cidrs,
            DefaultCluster = NullIfEmpty(config.GetOptionalString("default_cluster")),
            ReportersPhase = phase,
            KarrotRoutes = config.GetBoolean("karrot_routes", true),
        };
    }

    /// <summary>Marks the webhook's keys used in a child plugin's table, where they are inherited from <c>[burrow]</c>.</summary>
    public static void MarkInherited(ConfigSection config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var key in Keys)
        {
            config.MarkUsed(key);
        }
    }

    // The secrets never appear in a printed record.
    public override string ToString() =>
        $"WebhookSettings {{ MaxBody = {MaxBody}, Basic = {Username is not null}, Token = {AuthToken is not null}, Cidrs = {AllowCidrs.Count} }}";

    private static IPNetwork? ParseNetwork(string text)
    {
        var trimmed = text.Trim();
        if (IPNetwork.TryParse(trimmed, out var network))
        {
            return network;
        }

        // A bare address is a block of one.
        return IPAddress.TryParse(trimmed, out var address)
            ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            : null;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
