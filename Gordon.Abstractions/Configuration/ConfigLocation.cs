namespace Gordon.Abstractions.Configuration;

/// <summary>Where a config value was written: file, 1-based line and column.</summary>
/// <param name="File">The file path (as given to the loader).</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
public readonly record struct ConfigLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
