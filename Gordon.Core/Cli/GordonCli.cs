using System.CommandLine;
using System.Net.Http.Headers;
using Gordon.Abstractions;
using Gordon.Abstractions.Configuration;
using Gordon.Core.Configuration;
using Gordon.Core.Hosting;
using Gordon.Core.Metrics;
using Gordon.Core.Plugins;
using Gordon.Core.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Core.Cli;

/// <summary>
/// The <c>gordon</c> command line. System.CommandLine gives us help, usage errors and option parsing
/// that operators know from other .NET tools, so the commands only hold what is ours.
/// </summary>
internal sealed class GordonCli
{
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly TimeProvider _time;
    private readonly Func<string, string?> _environment;

    public GordonCli(TextWriter output, TextWriter error, TimeProvider time, Func<string, string?>? environment = null)
    {
        _out = output;
        _error = error;
        _time = time;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var root = Build();
        var builtIn = root.Subcommands.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

        // Plugins are loaded only for a word that is not ours, so `run` and `validate` never build them twice.
        await using var pluginCommands = args.FirstOrDefault(a => !a.StartsWith('-')) is { } word && !builtIn.Contains(word)
            ? PluginCommandSet.Load(args, builtIn, _environment, _time)
            : null;
        if (pluginCommands is not null)
        {
            var binder = new PluginCommandBinder(_out, _error);
            foreach (var (plugin, command) in pluginCommands.Commands)
            {
                root.Add(binder.Bind(plugin, command));
            }
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && pluginCommands is { Problems.Count: > 0 })
        {
            // "unrecognized command" alone would hide why a plugin's command is missing.
            foreach (var problem in pluginCommands.Problems)
            {
                await _error.WriteLineAsync("gordon: " + problem).ConfigureAwait(false);
            }
        }

        var invocation = new InvocationConfiguration
        {
            Output = _out,
            Error = _error,

            // The daemon drains on SIGTERM through the generic host; System.CommandLine must not cut that short.
            ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    private RootCommand Build()
    {
        var root = new RootCommand("Gordon: a plugin pipeline daemon for Kafka consumer-lag events.");

        var run = new Command("run", "Run the daemon until SIGTERM or SIGINT; SIGHUP reloads the configuration.");
        var runRoot = ConfigRootOption();
        var runStrict = StrictOption();
        run.Add(runRoot);
        run.Add(runStrict);
        run.SetAction((parse, ct) =>
            new DaemonHost(ResolveRoot(parse.GetValue(runRoot)), parse.GetValue(runStrict), _error, _time, _environment).RunAsync(ct));
        root.Add(run);

        var validate = new Command("validate", "Check the configuration, plugins and route; print every problem. Exits 0 only when there is none.");
        var validateRoot = ConfigRootOption();
        var validateStrict = StrictOption();
        validate.Add(validateRoot);
        validate.Add(validateStrict);
        validate.SetAction(parse => Validate(ResolveRoot(parse.GetValue(validateRoot)), parse.GetValue(validateStrict)));
        root.Add(validate);

        var plugins = new Command("plugins", "List the plugins found in the plugin directories, with their kind, phase, version, status and path.");
        var pluginsRoot = ConfigRootOption();
        plugins.Add(pluginsRoot);
        plugins.SetAction(parse => ListPlugins(ResolveRoot(parse.GetValue(pluginsRoot))));
        root.Add(plugins);

        var version = new Command("version", "Print the daemon version and the plugin contract version.");
        version.SetAction(_ =>
        {
            _out.WriteLine($"gordon {typeof(GordonCli).Assembly.GetName().Version?.ToString(3)} (plugin contract {ContractVersion.Major}.{ContractVersion.Minor})");
            return ExitCodes.Ok;
        });
        root.Add(version);

        var deadLetters = new Command("deadletters", "Inspect or replay the messages whose retries were spent.");
        var listRoot = ConfigRootOption();
        var list = new Command("list", "Print the dead-letter records, one JSON line each.") { listRoot };
        list.SetAction((parse, ct) => ListDeadLettersAsync(ResolveRoot(parse.GetValue(listRoot)), ct));
        var replayRoot = ConfigRootOption();
        var replay = new Command("replay", "Ask the running daemon to re-inject every dead letter into its pipeline.") { replayRoot };
        replay.SetAction((parse, ct) => ReplayDeadLettersAsync(ResolveRoot(parse.GetValue(replayRoot)), ct));
        deadLetters.Add(list);
        deadLetters.Add(replay);
        root.Add(deadLetters);

        return root;
    }

    private static Option<string> ConfigRootOption() => new("--config-root", "-c")
    {
        Description = "The directory holding gordon.toml and gordon-user.toml (default: the working directory).",
    };

    private static Option<bool> StrictOption() => new("--strict")
    {
        Description = "Treat every plugin load failure and unknown config key as an error.",
    };

    private static string ResolveRoot(string? root) => Path.GetFullPath(string.IsNullOrEmpty(root) ? "." : root);

    private int Validate(string configRoot, bool strict)
    {
        LoadedConfig config;
        try
        {
            config = new ConfigLoader(_environment).Load(configRoot);
        }
        catch (ConfigException e)
        {
            _out.WriteLine($"configuration in {configRoot}: {e.Problems.Count} error(s)");
            foreach (var problem in e.Problems)
            {
                _out.WriteLine("  error: " + problem);
            }

            return ExitCodes.Config;
        }

        using var metrics = new MetricRelay(_time);
        using var blueprint = new PipelineFactory(NullLoggerFactory.Instance, metrics, _time).Build(config, strict);
        _out.WriteLine("files: " + string.Join(", ", config.Files));
        _out.WriteLine("plugins:");
        _out.Write(PluginTableFormatter.Format(blueprint.Catalog));
        if (blueprint.Route is { } route)
        {
            _out.WriteLine(route.Describe());
        }

        foreach (var warning in blueprint.Warnings)
        {
            _out.WriteLine("  warning: " + warning);
        }

        foreach (var error in blueprint.Errors)
        {
            _out.WriteLine("  error: " + error);
        }

        _out.WriteLine(blueprint.Errors.Count == 0
            ? $"OK ({blueprint.Warnings.Count} warning(s))"
            : $"{blueprint.Errors.Count} error(s), {blueprint.Warnings.Count} warning(s)");
        return blueprint.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.Config;
    }

    private int ListPlugins(string configRoot)
    {
        if (!TryLoad(configRoot, out var config))
        {
            return ExitCodes.Config;
        }

        using var catalog = PluginCatalog.Discover(config.Core.PluginDirs, NullLogger.Instance);
        _out.Write(PluginTableFormatter.Format(catalog));
        return ExitCodes.Ok;
    }

    /// <summary>Loads the configuration, or prints every problem to stderr.</summary>
    private bool TryLoad(string configRoot, out LoadedConfig config)
    {
        try
        {
            config = new ConfigLoader(_environment).Load(configRoot);
            return true;
        }
        catch (ConfigException e)
        {
            _error.WriteLine("gordon: configuration is invalid:");
            foreach (var problem in e.Problems)
            {
                _error.WriteLine("  " + problem);
            }

            config = null!;
            return false;
        }
    }

    private async Task<int> ListDeadLettersAsync(string configRoot, CancellationToken cancellationToken)
    {
        if (!TryLoad(configRoot, out var config))
        {
            return ExitCodes.Config;
        }

        var store = new DeadLetterStore(config.Core.StateDir, _time);
        await store.ListAsync(_out, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private async Task<int> ReplayDeadLettersAsync(string configRoot, CancellationToken cancellationToken)
    {
        if (!TryLoad(configRoot, out var config))
        {
            return ExitCodes.Config;
        }

        if (!ListenAddress.TryParse(config.Core.Http.Listen, out var listen, out var listenError))
        {
            await _error.WriteLineAsync("gordon: key 'core.http.listen': " + listenError).ConfigureAwait(false);
            return ExitCodes.Config;
        }

        // Replay runs inside the daemon, so re-injected messages go through its live handlers.
        var host = listen.Address.Equals(System.Net.IPAddress.Any) || listen.Address.Equals(System.Net.IPAddress.IPv6Any)
            ? "127.0.0.1"
            : listen.IsLocalhostName ? "localhost" : listen.Address.ToString();
        var uri = new UriBuilder("http", host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host, listen.Port, "/deadletters/replay").Uri;
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        if (config.Core.Http.AuthToken is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                await _error.WriteLineAsync($"gordon: the daemon at {uri} answered {(int)response.StatusCode}: {body}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            await _out.WriteLineAsync(body).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (HttpRequestException e)
        {
            await _error.WriteLineAsync($"gordon: cannot reach the daemon at {uri}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
    }
}
