namespace Gordon.Abstractions;

/// <summary>
/// The version of the plugin contract this assembly defines. The host refuses a plugin whose
/// reference to <c>Gordon.Abstractions</c> has a different <see cref="Major"/> version or a later
/// <see cref="Minor"/> version than its own.
/// </summary>
public static class ContractVersion
{
    /// <summary>The major version: bumped on every breaking change of a contract type.</summary>
    public const int Major = 1;

    /// <summary>The minor version: bumped when members are added without breaking existing plugins.</summary>
    public const int Minor = 3;

    /// <summary>The contract version as a <see cref="Version"/>, equal to the assembly version.</summary>
    public static Version Current { get; } = new(Major, Minor, 0, 0);
}
