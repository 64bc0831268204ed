using System.Text.Json;
using System.Text.RegularExpressions;
using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.Collectors.Stores;

namespace Gordon.Plugins.Collectors.Insights;

/// <summary>Reads <c>[collectors.insights]</c> (with the scalars it inherits from <c>[collectors]</c>).</summary>
internal sealed partial class InsightsSettings
{
    /// <summary>Which lock keeps gathers from running twice at once.</summary>
    public enum GatherLockKind
    {
        /// <summary>A file in the state directory: one gather at a time on this machine.</summary>
        File,

        /// <summary>A PostgreSQL advisory lock in the store: one gather at a time over every daemon sharing it.</summary>
        Store,
    }

    public required GathererOptions Gatherer { get; init; }

    public required ShippingSettings Shipping { get; init; }

    /// <summary>How often the daemon gathers and ships; zero for never (only <c>gordon collect</c>).</summary>
    public TimeSpan Schedule { get; init; }

    /// <summary>The single-gather lock: a file on this machine, or an advisory lock on a shared PostgreSQL store.</summary>
    public GatherLockKind Lock { get; init; }

    /// <summary>Registration names or keys to gather; empty for all.</summary>
    public IReadOnlyList<string> Collectors { get; init; } = [];

    public static InsightsSettings Read(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = context.Config;
        var storeUrl = StoreUrl.Read(config, context);
        var tarballBase = config.GetString("tarball_base", "gordon-analytics");
        if (!TarballBasePattern().IsMatch(tarballBase))
        {
            config.AddProblem("tarball_base", "expected letters, digits, '.', '_' or '-' (it starts every tarball's file name)");
        }

        var identity = config.GetString("identity", ShippingSettings.DefaultIdentity);
        try
        {
            using var _ = JsonDocument.Parse(identity);
        }
        catch (JsonException e)
        {
            config.AddProblem("identity", "expected a JSON identity object: " + e.Message);
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var headerSection = config.GetSection("headers");
        foreach (var (name, value) in headerSection.Table)
        {
            headerSection.MarkUsed(name);
            if (value.Value is string text)
            {
                headers[name] = text;
            }
            else
            {
                headerSection.AddProblem(name, $"expected a string header value, got {value.TypeName}");
            }
        }

        return new InsightsSettings
        {
            Gatherer = new GathererOptions
            {
                MaxDataSize = config.GetSize("max_data_size", 200L * 1024 * 1024, min: 1024),
                MaxUploadSize = config.GetSize("max_upload_size", 100_000_000),
                TarballBase = tarballBase,
                StoreUrl = storeUrl,
                KeepTarballs = config.GetBoolean("keep_tarballs", false),
            },
            Shipping = new ShippingSettings
            {
                IngressUrl = config.GetUri("ingress_url", null, "http", "https"),
                Auth = config.GetEnum("auth", ShippingAuth.UserPass),
                Username = config.GetOptionalString("username"),
                Password = config.GetOptionalString("password"),
                Identity = identity,
                ClientCertificate = Resolve(config.GetOptionalString("client_cert"), context.ConfigRoot),
                ClientKey = Resolve(config.GetOptionalString("client_key"), context.ConfigRoot),
                CaCertificate = Resolve(config.GetOptionalString("ca_cert"), context.ConfigRoot),
                BearerToken = config.GetOptionalString("bearer_token"),
                Headers = headers,
                PayloadContentType = config.GetString("payload_content_type", "application/vnd.gordon.analytics+tgz"),
                Timeout = config.GetDuration("timeout", TimeSpan.FromSeconds(31), min: TimeSpan.FromSeconds(1)),
                Retries = config.GetInt32("retries", 3, 0, 20),
                RetryBackoff = config.GetDuration("retry_backoff", TimeSpan.FromSeconds(2)),
            },
            Schedule = ReadSchedule(config),
            Lock = ReadLock(config, storeUrl, context.ConfigRoot),
            Collectors = config.GetStringList("collectors", []),
        };
    }

    private static TimeSpan ReadSchedule(ConfigSection config)
    {
        var schedule = config.GetDuration("schedule", TimeSpan.FromHours(4));
        if (schedule > TimeSpan.Zero && schedule < TimeSpan.FromMinutes(1))
        {
            config.AddProblem("schedule", "expected \"0s\" (no scheduled gathers) or at least \"1m\"");
            return TimeSpan.FromHours(4);
        }

        return schedule;
    }

    private static GatherLockKind ReadLock(ConfigSection config, string storeUrl, string configRoot)
    {
        var kind = config.GetEnum("lock", GatherLockKind.File);
        if (kind == GatherLockKind.Store && DatabaseUrl.Parse(storeUrl, configRoot, out _)?.Kind != DatabaseKind.PostgreSql)
        {
            config.AddProblem("lock", "\"store\" takes an advisory lock in a PostgreSQL store: store_url must be a postgresql:// URL");
            return GatherLockKind.File;
        }

        return kind;
    }

    private static string? Resolve(string? path, string configRoot) =>
        string.IsNullOrEmpty(path) ? null : Path.GetFullPath(path, configRoot);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex TarballBasePattern();
}
