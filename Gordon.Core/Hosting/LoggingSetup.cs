using Gordon.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Gordon.Core.Hosting;

/// <summary>Applies <c>[core.logging]</c>: level, per-plugin levels, and the output format.</summary>
internal static class LoggingSetup
{
    public static void Configure(ILoggingBuilder logging, LoggingSettings settings, IEnumerable<string> pluginNames)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(settings.Level);

        // ASP.NET Core logs every request at Information; keep it a notch quieter unless asked.
        logging.AddFilter("Microsoft.AspNetCore", settings.Level > LogLevel.Warning ? settings.Level : LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", settings.Level);

        var plugins = pluginNames.ToHashSet(StringComparer.Ordinal);
        foreach (var (category, level) in settings.Levels)
        {
            logging.AddFilter(plugins.Contains(category) ? "Gordon.Plugins." + category : category, level);
        }

        var format = settings.Format;
        if (format == LogFormat.Auto)
        {
            // systemd sets JOURNAL_STREAM when stdout goes to the journal.
            format = Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 } ? LogFormat.Journald : LogFormat.Console;
        }

        switch (format)
        {
            case LogFormat.Journald:
                logging.AddSystemdConsole(o => o.UseUtcTimestamp = true);
                break;
            case LogFormat.Json:
                logging.AddJsonConsole(o =>
                {
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                });
                break;
            default:
                logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                    o.ColorBehavior = LoggerColorBehavior.Default;
                });
                break;
        }

        // Console logging is asynchronous; stderr keeps log lines apart from command output on stdout.
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
