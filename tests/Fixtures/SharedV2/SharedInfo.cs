namespace Gordon.Fixtures.Shared;

/// <summary>Tells which of the two same-named assemblies was loaded.</summary>
public static class SharedInfo
{
    // A property, not a const, so the caller asks the loaded assembly instead of inlining the value.
    public static string Version => "2.0";
}
