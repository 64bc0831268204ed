using Amazon.Runtime;
using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Plugins;
using Gordon.Plugins.CloudWatch.Credentials;
using Gordon.Plugins.CloudWatch.Sending;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.CloudWatch.Tests.Support;

/// <summary>
/// A <see cref="CloudWatchPlugin"/> as the daemon would run it: its config table, a fake clock, recording metrics and
/// logs, a temp state directory, and (in api mode) the fake CloudWatch as <c>endpoint_url</c>.
/// </summary>
internal sealed class PluginHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ILoggerFactory _loggerFactory;
    private readonly TempDirectory? _ownState;
    private readonly FlushSignal _flushes;

    private PluginHarness(CloudWatchPlugin plugin, FakeTimeProvider time, RecordingMetricRelay metrics, RecordingLogger logs,
        ConfigSection config, string stateDirectory, ILoggerFactory loggerFactory, TempDirectory? ownState, FlushSignal flushes)
    {
        _flushes = flushes;
        Plugin = plugin;
        Time = time;
        Metrics = metrics;
        Logs = logs;
        Config = config;
        StateDirectory = stateDirectory;
        _loggerFactory = loggerFactory;
        _ownState = ownState;
    }

    public CloudWatchPlugin Plugin { get; }

    public FakeTimeProvider Time { get; }

    public RecordingMetricRelay Metrics { get; }

    public RecordingLogger Logs { get; }

    public ConfigSection Config { get; }

    public string StateDirectory { get; }

    /// <summary>Static test credentials the fake server knows.</summary>
    public static ICredentialSource TestCredentials(string secret = FakeCloudWatch.SecretKey) =>
        new StaticCredentialSource(new ImmutableCredentials(FakeCloudWatch.AccessKey, secret, null), "test credentials");

    /// <summary>Builds the plugin (and starts it unless told not to).</summary>
    /// <param name="server">The fake CloudWatch for api mode (its endpoint becomes endpoint_url), or null.</param>
    /// <param name="config">Keys of the [cloudwatch] table; region and endpoint_url are filled in for api mode.</param>
    /// <param name="credentials">Credentials instead of the chain; the default is the fake server's test key; pass <see cref="UseChain"/> for the real chain.</param>
    /// <param name="sender">Sender seams (backoff hook, limits).</param>
    /// <param name="stateDirectory">A state directory to reuse (a second run); a fresh one by default.</param>
    /// <param name="time">A clock to reuse; a fresh fake one by default.</param>
    /// <param name="stdout">Where emf_output = "stdout" writes.</param>
    /// <param name="start">Whether to call StartAsync.</param>
    public static async Task<PluginHarness> CreateAsync(
        FakeCloudWatch? server,
        IReadOnlyDictionary<string, object>? config = null,
        ICredentialSource? credentials = null,
        SenderSeams? sender = null,
        string? stateDirectory = null,
        FakeTimeProvider? time = null,
        Stream? stdout = null,
        bool start = true)
    {
        var values = new Dictionary<string, object>(config ?? new Dictionary<string, object>(), StringComparer.Ordinal);
        if (server is not null)
        {
            values.TryAdd("region", FakeCloudWatch.Region);
            values.TryAdd("endpoint_url", server.Endpoint.ToString());
            values.TryAdd("sts_endpoint_url", server.Endpoint.ToString());
        }

        time ??= new FakeTimeProvider(Start);
        if (server is not null)
        {
            server.Clock = time;
        }

        var own = stateDirectory is null ? new TempDirectory() : null;
        var state = stateDirectory ?? own!.Path;
        var metrics = new RecordingMetricRelay();
        var logs = new RecordingLogger();
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var section = new ConfigSection(Table("cloudwatch", values));
        var context = new PluginContext
        {
            Name = "cloudwatch",
            Config = section,
            Sink = new NullSink(),
            Metrics = metrics,
            Logger = loggerFactory.CreateLogger("Gordon.Plugins.cloudwatch"),
            LoggerFactory = loggerFactory,
            TimeProvider = time,
            StateDirectory = state,
            ConfigRoot = state,
        };
        var flushes = new FlushSignal();
        sender ??= new SenderSeams();
        var seams = new CloudWatchPluginSeams
        {
            Credentials = ReferenceEquals(credentials, UseChain) ? null : credentials ?? TestCredentials(),
            StandardOutput = stdout,
            Sender = new SenderSeams
            {
                Random = sender.Random,
                BackoffStarted = sender.BackoffStarted,
                MaxDatumsPerRequest = sender.MaxDatumsPerRequest,
                MaxBodyBytes = sender.MaxBodyBytes,
                FlushCompleted = flushes.Done,
            },
        };
        var plugin = new CloudWatchPlugin(context, seams);
        Assert.That(section.Problems, Is.Empty, "the test's config must be valid");
        var harness = new PluginHarness(plugin, time, metrics, logs, section, state, loggerFactory, own, flushes);
        if (start)
        {
            await plugin.StartAsync(CancellationToken.None);
        }

        return harness;
    }

    /// <summary>Pass as credentials to use the plugin's real credential chain.</summary>
    public static ICredentialSource UseChain { get; } = new StaticCredentialSource(new ImmutableCredentials("x", "y", null), "marker");

    public static ConfigTable Table(string path, IReadOnlyDictionary<string, object> values) =>
        new(path, values.Select(kv => new KeyValuePair<string, ConfigValue>(kv.Key, new ConfigValue(Convert(path + "." + kv.Key, kv.Value), null))));

    public ValueTask HandleAsync(Event @event) => Plugin.HandleAsync(new TestMessage(@event), CancellationToken.None);

    /// <summary>Lets the flush timer fire once.</summary>
    public void Tick() => Time.Advance(Plugin.Options.FlushInterval);

    /// <summary>Fires the flush timer and waits until that flush is over.</summary>
    public async Task TickAndFlushAsync(CancellationToken cancellationToken)
    {
        var next = _flushes.Next();
        Tick();
        await next.WaitAsync(cancellationToken);
    }

    /// <summary>A task that completes when the next flush (counted from now) is over.</summary>
    public Task NextFlush() => _flushes.Next();

    public async ValueTask DisposeAsync()
    {
        await Plugin.StopAsync(CancellationToken.None);
        _loggerFactory.Dispose();
        _ownState?.Dispose();
    }

    private static object Convert(string path, object value) => value switch
    {
        int i => (long)i,
        string[] strings => new ConfigArray(strings.Select(s => new ConfigValue(s, null))),
        IReadOnlyDictionary<string, object> table => Table(path, table),
        _ => value,
    };

    /// <summary>Counts finished flushes and lets tests wait for the next one.</summary>
    internal sealed class FlushSignal
    {
        private readonly Lock _lock = new();
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Next()
        {
            lock (_lock)
            {
                return _next.Task;
            }
        }

        public void Done()
        {
            TaskCompletionSource done;
            lock (_lock)
            {
                done = _next;
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            done.TrySetResult();
        }
    }
}
