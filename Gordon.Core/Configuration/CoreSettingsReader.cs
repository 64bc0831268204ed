using Gordon.Abstractions.Configuration;
using Microsoft.Extensions.Logging;

using Gordon.Core.Hosting;

namespace Gordon.Core.Configuration;

/// <summary>Reads <see cref="CoreSettings"/> from <c>[core]</c>, recording every invalid value as a problem.</summary>
internal static class CoreSettingsReader
{
    // Names operators know from Python's logging and syslog, mapped to ours.
    private static readonly Dictionary<string, LogLevel> LevelAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["info"] = LogLevel.Information,
        ["warn"] = LogLevel.Warning,
        ["fatal"] = LogLevel.Critical,
        ["off"] = LogLevel.None,
    };

    private const string LevelChoices = "\"trace\", \"debug\", \"information\", \"warning\", \"error\", \"critical\" or \"none\"";

    /// <summary>Reads the settings; problems go to <paramref name="core"/>'s problem list.</summary>
    /// <param name="core">A reader over <c>[core]</c>.</param>
    /// <param name="configRoot">The absolute config root, against which relative folders resolve.</param>
    /// <returns>The settings; invalid values fall back to their defaults.</returns>
    public static CoreSettings Read(ConfigSection core, string configRoot)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(configRoot);

        var plugins = ReadPlugins(core);
        var pluginDirs = ReadFolders(core, "plugin_dirs", configRoot);
        var stateDir = ReadFolder(core, "state_dir", CoreSettings.DefaultStateDir, configRoot);
        var debug = core.GetBoolean("debug", false);
        var strict = core.GetBoolean("strict", false);
        var restart = core.GetBoolean("restart_runnables", true);
        var route = ReadRoute(core);
        var http = ReadHttp(core.GetSection("http"), configRoot);
        var logging = ReadLogging(core.GetSection("logging"));
        var router = core.GetSection("router");
        var spool = core.GetSection("spool");
        return new CoreSettings(plugins, pluginDirs, stateDir, debug, strict, restart, route, http, logging, router, spool);
    }

    private static List<string> ReadPlugins(ConfigSection core)
    {
        var names = core.GetStringList("plugins", []);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>(names.Count);
        foreach (var name in names)
        {
            if (!IsPluginName(name))
            {
                core.AddProblem("plugins", $"{ConfigParsers.FormatValue(name)} is not a plugin name (dot-separated parts of letters, digits, '_' or '-')");
            }
            else if (!seen.Add(name))
            {
                core.AddProblem("plugins", $"plugin {ConfigParsers.FormatValue(name)} is listed more than once");
            }
            else
            {
                result.Add(name);
            }
        }

        return result;
    }

    private static bool IsPluginName(string name) =>
        name.Split('.').All(part => part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'));

    private static List<string> ReadFolders(ConfigSection core, string key, string configRoot)
    {
        var folders = core.GetStringList(key, CoreSettings.DefaultPluginDirs);
        var result = new List<string>(folders.Count);
        foreach (var folder in folders)
        {
            if (string.IsNullOrWhiteSpace(folder))
            {
                core.AddProblem(key, "expected folder paths, got an empty string");
                continue;
            }

            result.Add(Path.GetFullPath(folder, configRoot));
        }

        return result;
    }

    private static string ReadFolder(ConfigSection core, string key, string defaultValue, string configRoot)
    {
        var folder = core.GetString(key, defaultValue);
        if (string.IsNullOrWhiteSpace(folder))
        {
            core.AddProblem(key, "expected a folder path, got an empty string");
            folder = defaultValue;
        }

        return Path.GetFullPath(folder, configRoot);
    }

    private static OrderedDictionary<string, string> ReadRoute(ConfigSection core)
    {
        var route = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        if (!core.Contains("route"))
        {
            foreach (var (phase, next) in CoreSettings.DefaultRoute)
            {
                route.Add(phase, next);
            }

            return route;
        }

        var section = core.GetSection("route");
        foreach (var phase in section.Table.Keys)
        {
            // Phase names are free-form: every key is a route step, never an unknown key.
            var next = section.GetOptionalString(phase);
            if (next is null)
            {
                continue;
            }

            if (next.Length == 0)
            {
                section.AddProblem(phase, "expected the name of the next phase (e.g. \"publish\" or \"done\"), got an empty string");
                continue;
            }

            route.Add(phase, next);
        }

        return route;
    }

    private static HttpSettings ReadHttp(ConfigSection http, string configRoot)
    {
        var listen = http.GetString("listen", HttpSettings.DefaultListen);
        var https = false;
        if (!ListenAddress.TryParse(listen, out var address, out var listenError))
        {
            http.AddProblem("listen", listenError);
            listen = HttpSettings.DefaultListen;
        }
        else
        {
            https = address.IsHttps;
        }

        var token = http.GetString("auth_token", string.Empty);
        var d = HttpLimits.Default;
        var limits = new HttpLimits(
            MaxRequestBodySize: http.GetSize("max_request_body", d.MaxRequestBodySize, min: 1024),
            MaxRequestHeadersTotalSize: http.GetSize("max_request_header_size", d.MaxRequestHeadersTotalSize, min: 1024),
            MaxRequestHeaderCount: http.GetInt32("max_request_headers", d.MaxRequestHeaderCount, 1, 10_000),
            RequestHeadersTimeout: http.GetDuration("request_header_timeout", d.RequestHeadersTimeout, TimeSpan.FromMilliseconds(100)),
            MinRequestBodyBytesPerSecond: http.GetDouble("min_request_body_rate", d.MinRequestBodyBytesPerSecond, 0),
            MinRequestBodyGracePeriod: http.GetDuration("min_request_body_grace", d.MinRequestBodyGracePeriod, TimeSpan.FromSeconds(1)),
            MaxConcurrentConnections: http.GetInt64("max_connections", d.MaxConcurrentConnections, 1),
            KeepAliveTimeout: http.GetDuration("keep_alive_timeout", d.KeepAliveTimeout, TimeSpan.FromSeconds(1)));

        var certificate = ReadTlsFile(http, "tls_certificate", configRoot);
        var key = ReadTlsFile(http, "tls_key", configRoot);
        if (https && certificate is null)
        {
            http.AddProblem("listen", "an https:// address needs core.http.tls_certificate (a PEM file)");
        }

        if (key is not null && certificate is null)
        {
            http.AddProblem("tls_key", "is set without core.http.tls_certificate");
        }

        return new HttpSettings(listen, token) { Limits = limits, TlsCertificate = certificate, TlsKey = key };
    }

    private static string? ReadTlsFile(ConfigSection http, string key, string configRoot)
    {
        var path = http.GetString(key, string.Empty);
        if (path.Length == 0)
        {
            return null;
        }

        var full = Path.GetFullPath(path, configRoot);
        if (!File.Exists(full))
        {
            http.AddProblem(key, $"file {full} does not exist");
            return null;
        }

        return full;
    }

    private static LoggingSettings ReadLogging(ConfigSection logging)
    {
        var level = ReadLevel(logging, "level", LogLevel.Information);
        var format = logging.GetEnum("format", LogFormat.Auto);
        var levels = new OrderedDictionary<string, LogLevel>(StringComparer.Ordinal);
        var section = logging.GetSection("levels");
        foreach (var category in section.Table.Keys)
        {
            // Category names are free-form (plugin names, "Microsoft.AspNetCore", …).
            if (section.Contains(category) && section.Table[category].Value is string)
            {
                levels[category] = ReadLevel(section, category, level);
            }
            else
            {
                _ = section.GetOptionalString(category);
            }
        }

        return new LoggingSettings(level, format, levels);
    }

    private static LogLevel ReadLevel(ConfigSection section, string key, LogLevel defaultValue)
    {
        if (!section.Contains(key))
        {
            return defaultValue;
        }

        var text = section.GetOptionalString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (LevelAliases.TryGetValue(text, out var alias))
        {
            return alias;
        }

        foreach (var level in Enum.GetValues<LogLevel>())
        {
            if (string.Equals(level.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return level;
            }
        }

        section.AddProblem(key, $"expected one of {LevelChoices}, got string {ConfigParsers.FormatValue(text)}");
        return defaultValue;
    }
}
