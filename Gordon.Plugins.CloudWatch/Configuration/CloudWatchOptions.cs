using System.Text.RegularExpressions;
using Gordon.Abstractions.Configuration;
using Gordon.Plugins.CloudWatch.Datums;

namespace Gordon.Plugins.CloudWatch.Configuration;

/// <summary>
/// The <c>[cloudwatch]</c> table, read once in the plugin's constructor. Bad values are recorded on the
/// <see cref="ConfigSection"/> (the daemon reports them with file and line) and the default is used.
/// </summary>
internal sealed partial record CloudWatchOptions
{
    /// <summary>Karrot's namespace, kept as the default so existing dashboards keep working.</summary>
    public const string DefaultNamespace = "GumGum/Kafka/Burrow/ConsumerLag";

    /// <summary>The metrics <c>naming = "dimensions"</c> publishes unless <c>metrics</c> says otherwise.</summary>
    public static readonly IReadOnlyList<string> DefaultMetrics = [MetricNames.TotalLag, MetricNames.MaxLag, MetricNames.PartitionCount, MetricNames.StatusCode];

    public PublishMode Mode { get; init; } = PublishMode.Api;

    public NamingMode Naming { get; init; } = NamingMode.Dimensions;

    public string Namespace { get; init; } = DefaultNamespace;

    public IReadOnlyList<string> Metrics { get; init; } = DefaultMetrics;

    public bool PartitionLag { get; init; }

    /// <summary>Trait names whose values become extra dimensions (dimension name = the trait name in PascalCase).</summary>
    public IReadOnlyList<string> ExtraDimensions { get; init; } = [];

    /// <summary>Fixed dimensions added to every datum (e.g. Environment = "prod").</summary>
    public IReadOnlyList<KeyValuePair<string, string>> StaticDimensions { get; init; } = [];

    public bool HighResolution { get; init; }

    public string? Region { get; init; }

    public Uri? EndpointUrl { get; init; }

    public string? Profile { get; init; }

    public string? RoleArn { get; init; }

    public string RoleSessionName { get; init; } = "gordon";

    public string? RoleExternalId { get; init; }

    public TimeSpan RoleDuration { get; init; } = TimeSpan.FromHours(1);

    public Uri? StsEndpointUrl { get; init; }

    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxBuffered { get; init; } = 100_000;

    public OverflowPolicy Overflow { get; init; } = OverflowPolicy.DropOldest;

    public int MaxAttempts { get; init; } = 5;

    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int DegradedAfter { get; init; } = 3;

    /// <summary><c>stdout</c>, or a file path (relative paths resolve against the config root).</summary>
    public string EmfOutput { get; init; } = "stdout";

    public long EmfMaxFileSize { get; init; } = 100L * 1000 * 1000;

    public int EmfMaxFiles { get; init; } = 5;

    /// <summary>Reads the plugin's table; problems go to <paramref name="config"/>.</summary>
    public static CloudWatchOptions Read(ConfigSection config, string configRoot)
    {
        ArgumentNullException.ThrowIfNull(config);
        var mode = config.GetEnum("mode", PublishMode.Api);
        var naming = config.GetEnum("naming", NamingMode.Dimensions);

        var ns = config.GetString("namespace", DefaultNamespace);
        if (ns.Length is 0 or > 255 || ns.StartsWith("AWS/", StringComparison.Ordinal) || ns.StartsWith(':'))
        {
            config.AddProblem("namespace", "expected 1 to 255 characters, not starting with \"AWS/\" (reserved for AWS) or ':'");
            ns = DefaultNamespace;
        }

        var metrics = config.GetStringList("metrics", DefaultMetrics);
        var known = new HashSet<string>([.. DefaultMetrics], StringComparer.Ordinal);
        foreach (var metric in metrics.Where(m => !known.Contains(m)))
        {
            config.AddProblem("metrics", $"unknown metric \"{metric}\": expected any of {string.Join(", ", DefaultMetrics)} (PartitionLag has its own key, partition_lag)");
        }

        var extra = config.GetStringList("extra_dimensions", []);
        foreach (var trait in extra.Where(t => string.IsNullOrWhiteSpace(t)))
        {
            config.AddProblem("extra_dimensions", "a trait name must not be empty");
        }

        var statics = ReadStaticDimensions(config);
        // CloudWatch allows 30 dimensions a datum; partition datums add Topic and Partition to Cluster and ConsumerGroup.
        if (extra.Count + statics.Count + 4 > 30)
        {
            config.AddProblem("extra_dimensions", "extra_dimensions and static_dimensions together may name at most 26 dimensions (CloudWatch allows 30 a datum, 4 are built in)");
        }

        var region = config.GetOptionalString("region");
        if (region is not null && !RegionPattern().IsMatch(region))
        {
            config.AddProblem("region", "expected an AWS region name such as \"us-east-1\"");
            region = null;
        }

        var roleArn = config.GetOptionalString("role_arn");
        if (roleArn is not null && !roleArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            config.AddProblem("role_arn", "expected an IAM role ARN such as \"arn:aws:iam::123456789012:role/gordon\"");
            roleArn = null;
        }

        var sessionName = config.GetString("role_session_name", "gordon");
        if (!SessionNamePattern().IsMatch(sessionName))
        {
            config.AddProblem("role_session_name", "expected 2 to 64 characters of letters, digits and =,.@-");
            sessionName = "gordon";
        }

        var backoffInitial = config.GetDuration("backoff_initial", TimeSpan.FromSeconds(1), min: TimeSpan.FromMilliseconds(1));
        var backoffMax = config.GetDuration("backoff_max", TimeSpan.FromSeconds(30), min: TimeSpan.FromMilliseconds(1));
        if (backoffMax < backoffInitial)
        {
            config.AddProblem("backoff_max", "must be at least backoff_initial");
            backoffMax = backoffInitial;
        }

        var emfOutput = config.GetString("emf_output", "stdout");
        if (emfOutput.Length == 0)
        {
            config.AddProblem("emf_output", "expected \"stdout\" or a file path");
            emfOutput = "stdout";
        }
        else if (!string.Equals(emfOutput, "stdout", StringComparison.Ordinal))
        {
            emfOutput = Path.GetFullPath(emfOutput, configRoot);
        }

        return new CloudWatchOptions
        {
            Mode = mode,
            Naming = naming,
            Namespace = ns,
            Metrics = metrics,
            PartitionLag = config.GetBoolean("partition_lag", false),
            ExtraDimensions = extra,
            StaticDimensions = statics,
            HighResolution = config.GetBoolean("high_resolution", false),
            Region = region,
            EndpointUrl = config.GetUri("endpoint_url", null, "http", "https"),
            Profile = config.GetOptionalString("profile"),
            RoleArn = roleArn,
            RoleSessionName = sessionName,
            RoleExternalId = config.GetOptionalString("role_external_id"),
            RoleDuration = config.GetDuration("role_duration", TimeSpan.FromHours(1), min: TimeSpan.FromMinutes(15), max: TimeSpan.FromHours(12)),
            StsEndpointUrl = config.GetUri("sts_endpoint_url", null, "http", "https"),
            FlushInterval = config.GetDuration("flush_interval", TimeSpan.FromSeconds(30), min: TimeSpan.FromMilliseconds(100)),
            MaxBuffered = config.GetInt32("max_buffered", 100_000, min: 1, max: 10_000_000),
            Overflow = config.GetEnum("overflow", OverflowPolicy.DropOldest),
            MaxAttempts = config.GetInt32("max_attempts", 5, min: 1, max: 100),
            BackoffInitial = backoffInitial,
            BackoffMax = backoffMax,
            RequestTimeout = config.GetDuration("request_timeout", TimeSpan.FromSeconds(10), min: TimeSpan.FromMilliseconds(100)),
            DrainTimeout = config.GetDuration("drain_timeout", TimeSpan.FromSeconds(10)),
            DegradedAfter = config.GetInt32("degraded_after", 3, min: 1),
            EmfOutput = emfOutput,
            EmfMaxFileSize = config.GetSize("emf_max_file_size", 100L * 1000 * 1000, min: 4096),
            EmfMaxFiles = config.GetInt32("emf_max_files", 5, min: 1, max: 1000),
        };
    }

    private static List<KeyValuePair<string, string>> ReadStaticDimensions(ConfigSection config)
    {
        var section = config.GetSection("static_dimensions");
        var result = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in section.Table)
        {
            section.MarkUsed(name);
            if (value.Value is string text && text.Length is > 0 and <= 1024 && name.Length <= 255)
            {
                result.Add(new(name, text));
            }
            else
            {
                section.AddProblem(name, "expected a dimension value: a string of 1 to 1024 characters");
            }
        }

        return result;
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z0-9]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$")]
    private static partial Regex SessionNamePattern();
}
