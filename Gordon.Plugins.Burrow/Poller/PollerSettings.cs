using System.Text.RegularExpressions;
using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.Burrow.Poller;

/// <summary>The <c>[burrow.poller]</c> table (plus what it inherits from <c>[burrow]</c>).</summary>
internal sealed record PollerSettings
{
    /// <summary>Burrow's HTTP API, e.g. <c>http://burrow:8000</c> (a path prefix is kept).</summary>
    public required Uri Url { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Clusters to poll; empty polls every cluster Burrow knows.</summary>
    public IReadOnlyList<string> Clusters { get; init; } = [];

    /// <summary>Groups to poll (unanchored, like Burrow's <c>group-allowlist</c>); null allows all.</summary>
    public Regex? GroupAllowlist { get; init; }

    /// <summary>Groups never polled, applied after the allowlist; null denies none.</summary>
    public Regex? GroupDenylist { get; init; }

    public int Concurrency { get; init; } = 4;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public int Retries { get; init; } = 2;

    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public static PollerSettings Read(ConfigSection config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var url = config.GetUri("url", null, "http", "https");
        if (url is null && !config.Contains("url"))
        {
            config.AddProblem("url", "is required: Burrow's HTTP API, e.g. \"http://127.0.0.1:8000\"");
        }

        return new PollerSettings
        {
            Url = WithTrailingSlash(url ?? new Uri("http://127.0.0.1:8000/")),
            Interval = config.GetDuration("interval", TimeSpan.FromSeconds(30), min: TimeSpan.FromSeconds(1)),
            Clusters = config.GetStringList("clusters", []),
            GroupAllowlist = ReadRegex(config, "group_allowlist"),
            GroupDenylist = ReadRegex(config, "group_denylist"),
            Concurrency = config.GetInt32("concurrency", 4, 1, 64),
            Timeout = config.GetDuration("timeout", TimeSpan.FromSeconds(5), min: TimeSpan.FromMilliseconds(10)),
            Retries = config.GetInt32("retries", 2, 0, 10),
            RetryBackoff = config.GetDuration("retry_backoff", TimeSpan.FromMilliseconds(500), max: TimeSpan.FromMinutes(1)),
        };
    }

    /// <summary>Whether a group passes the allowlist and the denylist.</summary>
    public bool IsPolled(string group) =>
        (GroupAllowlist is null || GroupAllowlist.IsMatch(group)) && (GroupDenylist is null || !GroupDenylist.IsMatch(group));

    // Relative paths then resolve under the prefix: http://h/burrow/ + v3/kafka = http://h/burrow/v3/kafka.
    private static Uri WithTrailingSlash(Uri url) =>
        url.AbsolutePath.EndsWith('/') ? url : new Uri(url.GetLeftPart(UriPartial.Path) + "/" + url.Query);

    private static Regex? ReadRegex(ConfigSection config, string key)
    {
        var pattern = config.GetOptionalString(key);
        if (string.IsNullOrEmpty(pattern))
        {
            return null;
        }

        try
        {
            // Non-backtracking: an operator's pattern can never make a poll hang.
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (ArgumentException e)
        {
            config.AddProblem(key, $"is not a valid regular expression: {e.Message}");
        }
        catch (NotSupportedException e)
        {
            config.AddProblem(key, $"uses a construct the non-backtracking engine does not support: {e.Message}");
        }

        return null;
    }
}
