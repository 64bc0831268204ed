using System.Collections.Concurrent;
using System.Diagnostics;
using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Metrics;
using Gordon.Abstractions.Plugins;

namespace Gordon.Plugins.Collectors.Tests.Support;

/// <summary>A plugin context for tests: the given config, a recording sink, metrics and logger, a fake clock.</summary>
internal static class PluginContexts
{
    public static PluginContext Create(
        string name,
        ConfigSection config,
        TimeProvider time,
        string stateDirectory,
        IEventSink? sink = null,
        IDaemonInfo? daemon = null,
        RecordingLogger? logger = null,
        RecordingMetrics? metrics = null)
    {
        var log = logger ?? new RecordingLogger();
        return new PluginContext
        {
            Name = name,
            Config = config,
            Sink = sink ?? new RecordingSink(),
            Metrics = metrics ?? new RecordingMetrics(),
            Logger = log,
            LoggerFactory = log,
            TimeProvider = time,
            StateDirectory = stateDirectory,
            ConfigRoot = stateDirectory,
            Daemon = daemon,
        };
    }
}

/// <summary>Keeps every emitted event; can be told to refuse.</summary>
internal sealed class RecordingSink : IEventSink
{
    public ConcurrentQueue<Event> Events { get; } = new();

    public Func<Event, Exception?> Refuse { get; set; } = _ => null;

    public ValueTask EmitAsync(Event @event, IDeliveryObserver? observer, CancellationToken cancellationToken = default)
    {
        if (Refuse(@event) is { } error)
        {
            throw error;
        }

        Events.Enqueue(@event);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Keeps counters and the last value of gauges, by name and tags.</summary>
internal sealed class RecordingMetrics : IMetricRelay
{
    public ConcurrentDictionary<string, long> Counters { get; } = new();

    public ConcurrentDictionary<string, double> Gauges { get; } = new();

    public long Counter(string name, string? tags = null) => Counters.TryGetValue(Key(name, tags), out var v) ? v : 0;

    public void Increment(string name, long value, in TagList tags)
    {
        Counters.AddOrUpdate(name, value, (_, v) => v + value);
        if (tags.Count > 0)
        {
            Counters.AddOrUpdate(Key(name, Describe(tags)), value, (_, v) => v + value);
        }
    }

    public void Set(string name, double value, in TagList tags) => Gauges[tags.Count > 0 ? Key(name, Describe(tags)) : name] = value;

    public void Record(string name, double value, in TagList tags)
    {
    }

    public MetricTimer Timer(string name, in TagList tags) => default;

    private static string Key(string name, string? tags) => tags is null ? name : name + "{" + tags + "}";

    private static string Describe(in TagList tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            parts.Add($"{tag.Key}={tag.Value}");
        }

        return string.Join(",", parts);
    }
}

/// <summary>A daemon that reports a fixed version, configuration and inventory.</summary>
internal sealed class TestDaemonInfo : IDaemonInfo
{
    public string Version { get; init; } = "9.8.7";

    public string ConfigJson { get; init; } = """{"core":{"plugins":["collectors.insights"]},"collectors":{"insights":{"password":"***"}}}""";

    public IReadOnlyList<PluginInventoryEntry> Plugins { get; init; } =
    [
        new("burrow", "runnable", null, "0.1.0", "running", "/opt/gordon/plugins/Burrow/Burrow.dll"),
        new("prometheus", "handler", "publish", "0.1.0", "running", "/opt/gordon/plugins/Prometheus/Prometheus.dll"),
    ];

    public string GetRedactedConfigJson() => ConfigJson;

    public IReadOnlyList<PluginInventoryEntry> GetPlugins() => Plugins;
}
