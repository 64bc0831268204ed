namespace Gordon.Plugins.CloudWatch.Configuration;

/// <summary>How an event becomes metric names and dimensions.</summary>
internal enum NamingMode
{
    /// <summary>Fixed metric names (TotalLag, …) with Cluster and ConsumerGroup dimensions, Unit=Count.</summary>
    Dimensions,

    /// <summary>Karrot's form: metric name = the group, no dimensions, no unit, value = totallag.</summary>
    Karrot,
}
