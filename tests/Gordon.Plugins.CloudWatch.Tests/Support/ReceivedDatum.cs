namespace Gordon.Plugins.CloudWatch.Tests.Support;

/// <summary>One datum as the fake CloudWatch parsed it from a form body.</summary>
internal sealed record ReceivedDatum(
    string MetricName,
    IReadOnlyList<KeyValuePair<string, string>> Dimensions,
    double Value,
    string? Unit,
    DateTimeOffset Timestamp,
    int? StorageResolution)
{
    public string? Dimension(string name) => Dimensions.FirstOrDefault(d => d.Key == name).Value;
}

/// <summary>One request the fake CloudWatch received, and what it made of it.</summary>
/// <param name="Action">The Action parameter.</param>
/// <param name="Form">Every form parameter.</param>
/// <param name="Datums">PutMetricData's datums, in member order.</param>
/// <param name="BodyBytes">The body size.</param>
/// <param name="Signature">The SigV4 verdict.</param>
/// <param name="Problem">Why the fake refused the request as CloudWatch would (bad signature, bad form); null when it was valid.</param>
/// <param name="Status">The HTTP status it answered.</param>
internal sealed record ReceivedRequest(
    string Action,
    IReadOnlyDictionary<string, string> Form,
    IReadOnlyList<ReceivedDatum> Datums,
    int BodyBytes,
    SigV4Verifier.Result Signature,
    string? Problem,
    int Status);
