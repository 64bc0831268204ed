using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.Burrow.Enrich;

/// <summary>The <c>[burrow.enrich]</c> table.</summary>
internal sealed record EnrichSettings
{
    /// <summary>A previous report older than this is not used for rates, and groups idle this long are forgotten.</summary>
    public TimeSpan StateTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Reports closer together than this give no rate (a webhook and a poll a few ms apart would give noise).</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The most groups remembered; beyond it, new groups get no rates until idle ones expire.</summary>
    public int MaxGroups { get; init; } = 100_000;

    public static EnrichSettings Read(ConfigSection config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new EnrichSettings
        {
            StateTtl = config.GetDuration("state_ttl", TimeSpan.FromHours(1), min: TimeSpan.FromSeconds(1)),
            MinInterval = config.GetDuration("min_interval", TimeSpan.FromSeconds(1)),
            MaxGroups = config.GetInt32("max_groups", 100_000, 1, 10_000_000),
        };
    }
}
