using System.Globalization;

namespace Gordon.Plugins.Burrow.Parsing;

/// <summary>
/// Where a field sits in the body, e.g. <c>Event.Result.partitions[3].current_lag</c>. Built for every field read
/// but turned into text only for an error message, so the happy path allocates no path strings.
/// </summary>
/// <param name="Prefix">The container, with its trailing dot (<c>Event.Result.</c>), or empty at the top.</param>
/// <param name="Name">The field (or array) name.</param>
/// <param name="Index">The array element, or -1.</param>
/// <param name="Sub">The field inside the element (may be dotted), or null.</param>
internal readonly record struct FieldPath(string Prefix, string Name, int Index = -1, string? Sub = null)
{
    public FieldPath Element(int index, string? sub = null) => this with { Index = index, Sub = sub };

    public override string ToString() => (Index, Sub) switch
    {
        (< 0, null) => Prefix + Name,
        (< 0, _) => Prefix + Name + "." + Sub,
        (_, null) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Name}[{Index}]"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Name}[{Index}].{Sub}"),
    };
}
