namespace Gordon.Abstractions.Collectors;

/// <summary>What a collector produces: the file it adds to a tarball is <c>&lt;key&gt;.json</c> or <c>&lt;key&gt;.csv</c>.</summary>
public enum CollectorFormat
{
    /// <summary>The collector returns a JSON value (<see cref="CollectorOutput.Json"/>), written as <c>&lt;key&gt;.json</c>.</summary>
    Json = 0,

    /// <summary>The collector writes CSV files and returns their paths (<see cref="CollectorOutput.Csv(IReadOnlyList{string})"/>); each is shipped as <c>&lt;key&gt;.csv</c>.</summary>
    Csv = 1,
}
