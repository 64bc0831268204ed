namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>What <see cref="LagSeriesStore.Apply"/> did with an event.</summary>
internal enum ApplyOutcome
{
    /// <summary>The group's series were updated.</summary>
    Applied,

    /// <summary>Not a consumer-status event: nothing to do.</summary>
    NotConsumerStatus,

    /// <summary>The event named no group, so there was nothing to label series with.</summary>
    NoGroup,

    /// <summary>A new group, refused because <c>max_series</c> was reached.</summary>
    Refused,
}
