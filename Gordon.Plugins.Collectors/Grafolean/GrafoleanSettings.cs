using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Plugins;

namespace Gordon.Plugins.Collectors.Grafolean;

/// <summary>Reads <c>[grafolean]</c>.</summary>
internal sealed class GrafoleanSettings
{
    public Uri? Url { get; init; }

    public string Token { get; init; } = string.Empty;

    public string? DefaultAccount { get; init; }

    public IReadOnlyList<string> EventTypes { get; init; } = ["collector."];

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public int Retries { get; init; } = 3;

    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public int MaxBatch { get; init; } = 1000;

    public static GrafoleanSettings Read(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = context.Config;
        var url = config.GetUri("url", null, "http", "https");
        if (url is null && !config.Contains("url"))
        {
            config.AddProblem("url", "is required: the backend's API URL, e.g. https://grafolean.example/api");
        }

        var token = config.GetOptionalString("token");
        if (config.GetOptionalString("token_file") is { } file)
        {
            var path = Path.GetFullPath(file, context.ConfigRoot);
            try
            {
                // Trimmed: the bots read the file as is, so a trailing newline became part of the token.
                token = File.ReadAllText(path).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                config.AddProblem("token_file", $"cannot read {path}: {e.Message}");
            }
        }
        else if (string.IsNullOrEmpty(token))
        {
            config.AddProblem("token", "is required: the bot token (or token_file, a file holding it)");
        }

        var account = config.Contains("account") ? AccountText(config) : null;
        return new GrafoleanSettings
        {
            Url = url is null ? null : new Uri(url.AbsoluteUri.TrimEnd('/') + "/"),
            Token = token ?? string.Empty,
            DefaultAccount = account,
            EventTypes = config.GetStringList("event_types", ["collector."]),
            Timeout = config.GetDuration("timeout", TimeSpan.FromSeconds(10), min: TimeSpan.FromMilliseconds(100)),
            Retries = config.GetInt32("retries", 3, 0, 20),
            RetryBackoff = config.GetDuration("retry_backoff", TimeSpan.FromSeconds(1)),
            MaxBatch = config.GetInt32("max_batch", 1000, 1, 100_000),
        };
    }

    private static string? AccountText(ConfigSection config)
    {
        config.MarkUsed("account");
        var value = config.Table["account"].Value;
        if (value is long id && id > 0)
        {
            return id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        config.AddProblem("account", "expected the account id, a positive integer");
        return null;
    }
}
