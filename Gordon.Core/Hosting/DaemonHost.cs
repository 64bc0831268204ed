using System.Runtime.InteropServices;
using Gordon.Abstractions.Configuration;
using Gordon.Core.Cli;
using Gordon.Core.Configuration;
using Gordon.Core.Http;
using Gordon.Core.Metrics;
using Gordon.Core.Routing;
using Gordon.Core.Spool;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Core.Hosting;

/// <summary>
/// <c>gordon run</c>: loads the configuration, builds the pipeline, serves HTTP, and runs until
/// SIGTERM/SIGINT. SIGHUP re-reads the configuration: a valid one replaces the running pipeline
/// (drained first, so nothing in flight is lost); an invalid one is logged and the old one keeps running.
/// </summary>
internal sealed partial class DaemonHost
{
    private readonly string _configRoot;
    private readonly bool _strict;
    private readonly TextWriter _error;
    private readonly TimeProvider _time;
    private readonly Func<string, string?> _environment;

    public DaemonHost(string configRoot, bool strict, TextWriter error, TimeProvider time, Func<string, string?>? environment = null)
    {
        _configRoot = configRoot;
        _strict = strict;
        _error = error;
        _time = time;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>Fires once the HTTP server listens, with its address (tests use port 0).</summary>
    public event Action<Uri>? Listening;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        LoadedConfig config;
        try
        {
            config = new ConfigLoader(_environment).Load(_configRoot);
        }
        catch (ConfigException e)
        {
            await WriteProblemsAsync("configuration is invalid", e.Problems.Select(p => p.ToString())).ConfigureAwait(false);
            return ExitCodes.Config;
        }

        using var metrics = new MetricRelay(_time);
        var firstRun = true;
        while (true)
        {
            var outcome = await RunOnceAsync(config, metrics, firstRun, cancellationToken).ConfigureAwait(false);
            firstRun = false;
            if (outcome.Reload is null)
            {
                return outcome.ExitCode;
            }

            config = outcome.Reload;
        }
    }

    private async Task<RunOutcome> RunOnceAsync(LoadedConfig config, MetricRelay metrics, bool firstRun, CancellationToken cancellationToken)
    {
        var core = config.Core;
        if (!ListenAddress.TryParse(core.Http.Listen, out var listen, out var listenError))
        {
            await WriteProblemsAsync("configuration is invalid", [$"key 'core.http.listen': {listenError}"]).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.Config, null);
        }

        // The blueprint comes first so a broken config or plugin is reported before anything listens.
        using var loggerFactory = LoggerFactory.Create(logging => LoggingSetup.Configure(logging, core.Logging, core.Plugins));
        var logger = loggerFactory.CreateLogger<DaemonHost>();
        using var blueprint = new PipelineFactory(loggerFactory, metrics, _time).Build(config, _strict);
        foreach (var warning in blueprint.Warnings)
        {
            Log.ConfigWarning(logger, warning);
        }

        if (!blueprint.IsValid)
        {
            await WriteProblemsAsync(firstRun ? "cannot start" : "cannot start after reload", blueprint.Errors).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.Config, null);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = config.ConfigRoot,
            EnvironmentName = Environments.Production,

            // Without this the host watches appsettings.json with a recursive inotify watch on the config root, which
            // holds the state folder: every spool and store write woke a watcher thread. Config reloads on SIGHUP.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSystemd();
        builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        builder.Services.AddSingleton(_time);
        builder.Services.Configure<HostOptions>(o =>
        {
            // The drain runs inside the host's stop; give it its full budget plus the plugins' stop.
            o.ShutdownTimeout = blueprint.RouterOptions.DrainTimeout + TimeSpan.FromSeconds(15);
        });
        X509Certificate2? certificate = null;
        if (core.Http.TlsCertificate is { } certificateFile)
        {
            try
            {
                certificate = X509Certificate2.CreateFromPemFile(certificateFile, core.Http.TlsKey);
            }
            catch (Exception e) when (e is CryptographicException or IOException or ArgumentException)
            {
                await WriteProblemsAsync("configuration is invalid", [$"key 'core.http.tls_certificate': cannot load {certificateFile}: {e.Message}"]).ConfigureAwait(false);
                return new RunOutcome(ExitCodes.Config, null);
            }
        }

        using var ownedCertificate = certificate;
        builder.WebHost.ConfigureKestrel(kestrel => KestrelSetup.Configure(kestrel, listen, core.Http.Limits, certificate));

        var status = new DaemonStatus();
        blueprint.DaemonInfo.Attach(status);
        var exit = new DaemonExit();
        builder.Services.AddSingleton(status);
        builder.Services.AddSingleton(exit);

        var deadLetters = new DeadLetterStore(core.StateDir, _time);
        var router = new Router(blueprint.Route!, blueprint.RouterOptions, deadLetters, metrics, loggerFactory, _time);
        (DurableSpool, IReadOnlyList<SpooledMessage>)? spool = null;
        if (blueprint.SpoolOptions.Enabled)
        {
            try
            {
                spool = DurableSpool.Open(
                    blueprint.SpoolOptions, loggerFactory.CreateLogger("Gordon.Spool"), _time, rebuilders: SpoolRebuilders.Of(blueprint.Plugins));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await WriteProblemsAsync("cannot open the spool", [$"{blueprint.SpoolOptions.Directory}: {e.Message}"]).ConfigureAwait(false);
                return new RunOutcome(ExitCodes.Unavailable, null);
            }
        }

        var pipeline = new RunningPipeline { Blueprint = blueprint, Router = router, DeadLetters = deadLetters, Spool = spool };
        builder.Services.AddSingleton(pipeline);
        builder.Services.AddHostedService<PipelineService>();
        await using var app = builder.Build();
        var order = 0;
        foreach (var plugin in blueprint.Plugins)
        {
            status.Register(plugin.Descriptor.Name, order++);
        }

        if (core.Http.AuthToken is { Length: > 0 } token)
        {
            var check = new BearerTokenCheck(token);
            app.Use(async (context, next) =>
            {
                if (context.Request.Path.StartsWithSegments("/health") || check.IsAuthorized(context.Request))
                {
                    await next(context).ConfigureAwait(false);
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
            });
        }

        CoreEndpoints.Map(app, pipeline, status);
        foreach (var plugin in blueprint.Plugins)
        {
            plugin.Endpoints?.MapEndpoints(app);
        }

        LoadedConfig? reload = null;
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            // SIGHUP's default action ends the process; we reload instead.
            signal.Cancel = true;
            var candidate = TryLoadForReload(logger, status, metrics);
            if (candidate is not null)
            {
                reload = candidate;
                app.Lifetime.StopApplication();
            }
        });

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            Log.ListenFailed(logger, core.Http.Listen, e);
            return new RunOutcome(ExitCodes.Unavailable, null);
        }
        catch (Exception e)
        {
            Log.StartFailed(logger, e);
            return new RunOutcome(exit.Code != 0 ? exit.Code : ExitCodes.Failure, null);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is not null)
        {
            Log.ListeningOn(logger, address);
            Listening?.Invoke(new Uri(address));
        }

        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return new RunOutcome(exit.Code, exit.Code == 0 ? reload : null);
    }

    private LoadedConfig? TryLoadForReload(ILogger logger, DaemonStatus status, MetricRelay metrics)
    {
        Log.Reloading(logger);
        try
        {
            var candidate = new ConfigLoader(_environment).Load(_configRoot);
            using var check = new PipelineFactory(NullLoggerFactory.Instance, metrics, _time).Build(candidate, _strict);
            if (check.IsValid)
            {
                status.LastReloadError = null;
                return candidate;
            }

            status.LastReloadError = string.Join("; ", check.Errors);
            foreach (var error in check.Errors)
            {
                Log.ReloadRejected(logger, error);
            }
        }
        catch (ConfigException e)
        {
            status.LastReloadError = string.Join("; ", e.Problems);
            foreach (var problem in e.Problems)
            {
                Log.ReloadRejected(logger, problem.ToString());
            }
        }

        return null;
    }

    private async Task WriteProblemsAsync(string what, IEnumerable<string> problems)
    {
        await _error.WriteLineAsync($"gordon: {what}:").ConfigureAwait(false);
        foreach (var problem in problems)
        {
            await _error.WriteLineAsync("  " + problem).ConfigureAwait(false);
        }
    }

    private sealed record RunOutcome(int ExitCode, LoadedConfig? Reload);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "{Warning}")]
        public static partial void ConfigWarning(ILogger logger, string warning);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Listening on {Address}")]
        public static partial void ListeningOn(ILogger logger, string address);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Critical, Message = "Cannot listen on {Listen}")]
        public static partial void ListenFailed(ILogger logger, string listen, Exception exception);

        [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "SIGHUP: reloading the configuration")]
        public static partial void Reloading(ILogger logger);

        [LoggerMessage(EventId = 1205, Level = LogLevel.Error, Message = "Reload rejected, keeping the running configuration: {Problem}")]
        public static partial void ReloadRejected(ILogger logger, string problem);

        [LoggerMessage(EventId = 1206, Level = LogLevel.Critical, Message = "Start-up failed")]
        public static partial void StartFailed(ILogger logger, Exception exception);
    }
}
