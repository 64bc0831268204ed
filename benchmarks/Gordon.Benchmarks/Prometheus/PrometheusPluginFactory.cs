using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Gordon.Core.Metrics;
using Gordon.Plugins.Prometheus;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Benchmarks.Prometheus;

/// <summary>Constructs the plugin as the daemon does, on the core's real metric relay, with default settings.</summary>
internal static class PrometheusPluginFactory
{
    public static PrometheusPlugin Create(MetricRelay relay, params (string Key, object Value)[] keys)
    {
        var config = new ConfigSection(new ConfigTable("prometheus", keys.Select(k => KeyValuePair.Create(k.Key, new ConfigValue(k.Value, null)))));
        var plugin = new PrometheusPlugin(new PluginContext
        {
            Name = "prometheus",
            Config = config,
            Sink = new NoSink(),
            Metrics = relay,
            Logger = NullLogger.Instance,
            LoggerFactory = NullLoggerFactory.Instance,
            TimeProvider = TimeProvider.System,
            StateDirectory = Path.GetTempPath(),
            ConfigRoot = Path.GetTempPath(),
        });
        config.ThrowIfInvalid();
        return plugin;
    }

    private sealed class NoSink : IEventSink
    {
        public ValueTask EmitAsync(Gordon.Abstractions.Events.Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default) =>
            ValueTask.CompletedTask;
    }
}
