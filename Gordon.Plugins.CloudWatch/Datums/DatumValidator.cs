namespace Gordon.Plugins.CloudWatch.Datums;

/// <summary>
/// CloudWatch's rules for one datum, checked before it is buffered, so a bad datum is rejected alone instead
/// of failing the request it would travel in (Karrot's buffer grew forever behind one such datum).
/// </summary>
internal static class DatumValidator
{
    /// <summary>CloudWatch rejects magnitudes beyond 2^360.</summary>
    public static readonly double MaxMagnitude = Math.Pow(2, 360);

    /// <summary>PutMetricData takes data points up to two weeks old.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(14);

    /// <summary>PutMetricData takes data points up to two hours ahead.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromHours(2);

    public const int MaxDimensions = 30;

    /// <summary>Checks a datum.</summary>
    /// <param name="datum">The datum.</param>
    /// <param name="now">The current time, for the age limits.</param>
    /// <returns>Null when valid, else the drop reason (a metric tag value) and what was wrong.</returns>
    public static (string Reason, string Detail)? Check(MetricDatum datum, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(datum);
        if (string.IsNullOrEmpty(datum.MetricName) || datum.MetricName.Length > 255)
        {
            return ("invalid", $"metric name must be 1 to 255 characters (got {datum.MetricName?.Length ?? 0})");
        }

        if (!double.IsFinite(datum.Value))
        {
            return ("invalid", $"value of {datum.MetricName} is {datum.Value}, CloudWatch takes finite numbers only");
        }

        if (Math.Abs(datum.Value) > MaxMagnitude)
        {
            return ("invalid", $"value of {datum.MetricName} is beyond CloudWatch's range of ±2^360");
        }

        if (datum.Dimensions.Count > MaxDimensions)
        {
            return ("invalid", $"{datum.MetricName} has {datum.Dimensions.Count} dimensions, CloudWatch takes at most {MaxDimensions}");
        }

        foreach (var dimension in datum.Dimensions)
        {
            if (string.IsNullOrEmpty(dimension.Name) || dimension.Name.Length > 255)
            {
                return ("invalid", $"a dimension name of {datum.MetricName} must be 1 to 255 characters");
            }

            if (string.IsNullOrEmpty(dimension.Value) || dimension.Value.Length > 1024)
            {
                return ("invalid", $"dimension {dimension.Name} of {datum.MetricName} must have a value of 1 to 1024 characters");
            }
        }

        if (datum.Timestamp < now - MaxAge)
        {
            return ("too_old", $"{datum.MetricName} at {datum.Timestamp:O} is older than CloudWatch's two weeks");
        }

        if (datum.Timestamp > now + MaxAhead)
        {
            return ("future", $"{datum.MetricName} at {datum.Timestamp:O} is more than two hours ahead");
        }

        return null;
    }
}
