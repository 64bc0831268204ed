using Gordon.Abstractions.Configuration;
using Gordon.Plugins.Storage.Stores;

namespace Gordon.Plugins.Storage;

/// <summary>The <c>[storage]</c> table.</summary>
internal sealed record StorageSettings
{
    public const string DefaultUrl = "sqlite://events.db";

    /// <summary>The store: a Panko-style URL; the default is <c>events.db</c> in the state directory.</summary>
    public required StorageUrl Url { get; init; }

    /// <summary>Events written in one transaction at most.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>How long a batch waits for more events while callers are still arriving.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Events older than this are deleted every <see cref="ExpireInterval"/>; null keeps them forever.</summary>
    public TimeSpan? Ttl { get; init; }

    public TimeSpan ExpireInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>SQLite's <c>synchronous</c>: full (a commit survives power loss) or normal (survives a crash of the daemon).</summary>
    public SqliteSynchronous SqliteSynchronous { get; init; } = SqliteSynchronous.Normal;

    /// <summary>At most this many events deleted per expiry run; null for no limit.</summary>
    public long? ExpireMaxCount { get; init; }

    /// <summary>Reads the table; bad values are recorded on <paramref name="config"/> (the defaults stand in).</summary>
    public static StorageSettings Read(ConfigSection config, string stateDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        var password = config.GetOptionalString("password");
        var text = config.GetString("url", DefaultUrl);
        if (!StorageUrl.TryParse(text, stateDirectory, password, out var url, out var error))
        {
            config.AddProblem("url", error);
            StorageUrl.TryParse(DefaultUrl, stateDirectory, null, out url, out _);
        }

        var ttl = config.GetDuration("ttl", TimeSpan.Zero);
        var maxCount = config.GetInt64("expire_max_count", 0, 0);
        return new StorageSettings
        {
            Url = url,
            BatchSize = config.GetInt32("batch_size", 500, 1, 10_000),
            BatchWindow = config.GetDuration("batch_window", TimeSpan.FromMilliseconds(50), max: TimeSpan.FromSeconds(10)),
            Ttl = ttl > TimeSpan.Zero ? ttl : null,
            ExpireInterval = config.GetDuration("expire_interval", TimeSpan.FromHours(1), min: TimeSpan.FromSeconds(1)),
            ExpireMaxCount = maxCount > 0 ? maxCount : null,
            SqliteSynchronous = config.GetEnum("sqlite_synchronous", SqliteSynchronous.Normal),
        };
    }
}
