using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>Hosts a plugin the way the daemon does: a context with config, sink, metrics, logger and clock.</summary>
internal sealed class PluginHarness
{
    public PluginHarness(string name, ConfigSection config, IEventSink? sink = null, TimeProvider? time = null)
    {
        Config = config;
        Context = new PluginContext
        {
            Name = name,
            Config = config,
            Sink = sink ?? new TestPipeline(),
            Metrics = Metrics,
            Logger = Logger,
            LoggerFactory = NullLoggerFactory.Instance,
            TimeProvider = time ?? TimeProvider.System,
            StateDirectory = Path.GetTempPath(),
            ConfigRoot = Path.GetTempPath(),
        };
    }

    public ConfigSection Config { get; }

    public PluginContext Context { get; }

    public RecordingMetricRelay Metrics { get; } = new();

    public RecordingLogger Logger { get; } = new();
}
