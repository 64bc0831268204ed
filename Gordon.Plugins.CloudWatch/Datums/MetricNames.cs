namespace Gordon.Plugins.CloudWatch.Datums;

/// <summary>The metric and dimension names of <c>naming = "dimensions"</c>.</summary>
internal static class MetricNames
{
    public const string TotalLag = "TotalLag";
    public const string MaxLag = "MaxLag";
    public const string PartitionCount = "PartitionCount";
    public const string StatusCode = "StatusCode";
    public const string PartitionLag = "PartitionLag";

    public const string Cluster = "Cluster";
    public const string ConsumerGroup = "ConsumerGroup";
    public const string Topic = "Topic";
    public const string Partition = "Partition";

    public const string Count = "Count";
}
