namespace Gordon.Plugins.CloudWatch.Configuration;

/// <summary>How datums leave the plugin.</summary>
internal enum PublishMode
{
    /// <summary>PutMetricData calls, batched and signed with SigV4.</summary>
    Api,

    /// <summary>CloudWatch Embedded Metric Format JSON lines, for the CloudWatch agent or Lambda to collect.</summary>
    Emf,
}
