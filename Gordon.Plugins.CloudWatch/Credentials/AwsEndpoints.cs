using Amazon;

namespace Gordon.Plugins.CloudWatch.Credentials;

/// <summary>Regional endpoint names, from AWSSDK.Core's region table.</summary>
internal static class AwsEndpoints
{
    /// <summary>The DNS suffix of a region's partition (<c>amazonaws.com</c>, <c>amazonaws.com.cn</c>, …).</summary>
    public static string DnsSuffix(string region)
    {
        var suffix = RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix;
        return string.IsNullOrEmpty(suffix) ? "amazonaws.com" : suffix;
    }

    /// <summary>The CloudWatch endpoint of a region.</summary>
    public static Uri Monitoring(string region) => new($"https://monitoring.{region}.{DnsSuffix(region)}/");
}
