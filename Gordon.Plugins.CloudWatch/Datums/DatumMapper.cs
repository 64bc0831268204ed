using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;
using Gordon.Plugins.CloudWatch.Configuration;

namespace Gordon.Plugins.CloudWatch.Datums;

/// <summary>Turns one <c>burrow.consumer_status</c> event into datums, by the configured naming.</summary>
internal sealed class DatumMapper
{
    private readonly CloudWatchOptions _options;
    private readonly bool _totalLag;
    private readonly bool _maxLag;
    private readonly bool _partitionCount;
    private readonly bool _statusCode;
    private readonly (string Trait, string Dimension)[] _extra;

    public DatumMapper(CloudWatchOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _totalLag = options.Metrics.Contains(MetricNames.TotalLag);
        _maxLag = options.Metrics.Contains(MetricNames.MaxLag);
        _partitionCount = options.Metrics.Contains(MetricNames.PartitionCount);
        _statusCode = options.Metrics.Contains(MetricNames.StatusCode);
        _extra = [.. options.ExtraDimensions.Select(t => (t, ToPascalCase(t)))];
    }

    /// <summary>The datums of an event, and the datums skipped for a missing or mistyped trait.</summary>
    /// <param name="event">A consumer-status event.</param>
    /// <param name="datums">Receives the datums.</param>
    /// <param name="skipped">Receives, per skipped datum, the trait that was missing.</param>
    public void Map(Event @event, List<MetricDatum> datums, List<string> skipped)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(datums);
        ArgumentNullException.ThrowIfNull(skipped);
        var resolution = _options.HighResolution ? 1 : (int?)null;
        if (_options.Naming == NamingMode.Karrot)
        {
            MapKarrot(@event, datums, skipped, resolution);
            return;
        }

        var cluster = Text(@event.Traits, ConsumerStatusTraits.Cluster);
        var group = Text(@event.Traits, ConsumerStatusTraits.Group);
        var wanted = (_totalLag ? 1 : 0) + (_maxLag ? 1 : 0) + (_partitionCount ? 1 : 0) + (_statusCode ? 1 : 0);
        if (cluster is null || group is null)
        {
            // Without the identifying dimensions the datums would merge every group into one series: skip them all.
            var missing = cluster is null ? ConsumerStatusTraits.Cluster : ConsumerStatusTraits.Group;
            for (var i = 0; i < wanted + (_options.PartitionLag ? PartitionDetails(@event).Count() : 0); i++)
            {
                skipped.Add(missing);
            }

            return;
        }

        var dimensions = new List<Dimension>(2 + _extra.Length + _options.StaticDimensions.Count)
        {
            new(MetricNames.Cluster, cluster),
            new(MetricNames.ConsumerGroup, group),
        };
        string? missingExtra = null;
        foreach (var (trait, name) in _extra)
        {
            if (@event.TryGetTrait(trait, out var value) && value.FormatValue() is { } text)
            {
                dimensions.Add(new(name, text));
            }
            else
            {
                missingExtra ??= trait;
            }
        }

        foreach (var (name, value) in _options.StaticDimensions)
        {
            dimensions.Add(new(name, value));
        }

        if (missingExtra is not null)
        {
            // A datum without one of its configured dimensions would be a different metric: skip rather than mislabel.
            for (var i = 0; i < wanted + (_options.PartitionLag ? PartitionDetails(@event).Count() : 0); i++)
            {
                skipped.Add(missingExtra);
            }

            return;
        }

        var at = @event.Generated;
        Add(_totalLag, MetricNames.TotalLag, @event.Traits, ConsumerStatusTraits.TotalLag);
        Add(_maxLag, MetricNames.MaxLag, @event.Traits, ConsumerStatusTraits.MaxLagCurrentLag);
        Add(_partitionCount, MetricNames.PartitionCount, @event.Traits, ConsumerStatusTraits.PartitionCount);
        Add(_statusCode, MetricNames.StatusCode, @event.Traits, ConsumerStatusTraits.StatusCode);

        if (_options.PartitionLag)
        {
            foreach (var detail in PartitionDetails(@event))
            {
                var topic = Text(detail.Traits, PartitionTraits.Topic);
                var partition = detail.TryGetTrait(PartitionTraits.Partition, out var p) && p.Type == TraitType.Integer ? p.FormatValue() : null;
                var lag = Number(detail.Traits, PartitionTraits.CurrentLag);
                if (topic is null || partition is null || lag is null)
                {
                    skipped.Add(topic is null ? PartitionTraits.Topic : partition is null ? PartitionTraits.Partition : PartitionTraits.CurrentLag);
                    continue;
                }

                var partitionDimensions = new List<Dimension>(dimensions.Count + 2);
                partitionDimensions.AddRange(dimensions);
                partitionDimensions.Add(new(MetricNames.Topic, topic));
                partitionDimensions.Add(new(MetricNames.Partition, partition));
                datums.Add(new MetricDatum(MetricNames.PartitionLag, partitionDimensions, lag.Value, MetricNames.Count, at, resolution));
            }
        }

        void Add(bool enabled, string metric, IReadOnlyList<Trait> traits, string trait)
        {
            if (!enabled)
            {
                return;
            }

            if (Number(traits, trait) is { } value)
            {
                datums.Add(new MetricDatum(metric, dimensions, value, MetricNames.Count, at, resolution));
            }
            else
            {
                skipped.Add(trait);
            }
        }
    }

    // Karrot: metric name = group, no dimensions, no unit, value = totallag.
    private static void MapKarrot(Event @event, List<MetricDatum> datums, List<string> skipped, int? resolution)
    {
        var group = Text(@event.Traits, ConsumerStatusTraits.Group);
        var lag = Number(@event.Traits, ConsumerStatusTraits.TotalLag);
        if (group is null || lag is null)
        {
            skipped.Add(group is null ? ConsumerStatusTraits.Group : ConsumerStatusTraits.TotalLag);
            return;
        }

        datums.Add(new MetricDatum(group, [], lag.Value, null, @event.Generated, resolution));
    }

    private static IEnumerable<EventDetail> PartitionDetails(Event @event) =>
        @event.Details.Where(d => string.Equals(d.Kind, ConsumerStatusEvent.PartitionDetailKind, StringComparison.Ordinal));

    private static string? Text(IReadOnlyList<Trait> traits, string name)
    {
        foreach (var trait in traits)
        {
            if (string.Equals(trait.Name, name, StringComparison.Ordinal))
            {
                return trait.Type == TraitType.String ? trait.StringValue : null;
            }
        }

        return null;
    }

    private static double? Number(IReadOnlyList<Trait> traits, string name)
    {
        foreach (var trait in traits)
        {
            if (string.Equals(trait.Name, name, StringComparison.Ordinal))
            {
                return trait.Type switch
                {
                    TraitType.Integer => trait.IntegerValue,
                    TraitType.Float => trait.FloatValue,
                    _ => null,
                };
            }
        }

        return null;
    }

    /// <summary><c>maxlag_topic</c> → <c>MaxlagTopic</c>: dimension names read like the built-in ones.</summary>
    internal static string ToPascalCase(string trait)
    {
        var parts = trait.Split(['_', '-', '.'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? trait : string.Concat(parts.Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
