namespace Gordon.Abstractions.Events;

/// <summary>The type of a trait value. The numbers are Panko's trait type codes and are stored as such.</summary>
public enum TraitType
{
    /// <summary>No value (Panko code 0).</summary>
    None = 0,

    /// <summary>A text value (Panko code 1).</summary>
    String = 1,

    /// <summary>A 64-bit signed integer (Panko code 2).</summary>
    Integer = 2,

    /// <summary>A double-precision float (Panko code 3).</summary>
    Float = 3,

    /// <summary>A UTC timestamp (Panko code 4).</summary>
    DateTime = 4,
}
