using Gordon.Abstractions.Commands;
using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Plugins;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Storage.Tests.Support;

/// <summary>Builds the storage plugin as the daemon would: a config table, a context, a temporary state directory.</summary>
internal sealed class PluginHarness : IAsyncDisposable
{
    public PluginHarness(params (string Key, object Value)[] config)
        : this(null, config)
    {
    }

    public PluginHarness(IDaemonInfo? daemon, params (string Key, object Value)[] config)
    {
        StateDirectory = Path.Combine(Path.GetTempPath(), "gordon-storage-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(StateDirectory);
        Config = new ConfigSection(Table("storage", config));
        Plugin = new StoragePlugin(new PluginContext
        {
            Name = "storage",
            Config = Config,
            Sink = new RefusingSink(),
            Metrics = Metrics,
            Logger = NullLogger.Instance,
            LoggerFactory = NullLoggerFactory.Instance,
            TimeProvider = Time,
            StateDirectory = StateDirectory,
            ConfigRoot = StateDirectory,
            Daemon = daemon,
        });
    }

    public string StateDirectory { get; }

    public FakeTimeProvider Time { get; } = new(FixtureS.T0.AddDays(1));

    public RecordingMetrics Metrics { get; } = new();

    public ConfigSection Config { get; }

    public StoragePlugin Plugin { get; }

    public static ConfigTable Table(string path, IEnumerable<(string Key, object Value)> values) =>
        new(path, values.Select(v => new KeyValuePair<string, ConfigValue>(v.Key, new ConfigValue(v.Value, null))));

    /// <summary>Runs a plugin command's delegate as the gordon command line would.</summary>
    public async Task<(int Exit, string Output, string Error)> RunAsync(string[] path, Dictionary<string, string> options, Dictionary<string, string?>? arguments = null)
    {
        var command = Plugin.Commands.Single(c => c.Name == path[0]);
        foreach (var word in path.Skip(1))
        {
            command = command.Subcommands.Single(c => c.Name == word);
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var invocation = new PluginCommandInvocation(
            options.ToDictionary(o => o.Key, o => (IReadOnlyList<string>)[o.Value], StringComparer.Ordinal),
            arguments ?? [],
            output,
            error);
        var exit = await command.Run!(invocation, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Plugin.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
