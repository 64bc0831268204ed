using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Storage.Stores.Sql;

/// <summary>The four trait tables, in Panko's order (text, int, float, datetime).</summary>
internal static class TraitTable
{
    public static readonly (string Table, TraitType Type)[] All =
    [
        ("trait_text", TraitType.String),
        ("trait_int", TraitType.Integer),
        ("trait_float", TraitType.Float),
        ("trait_datetime", TraitType.DateTime),
    ];

    public static string For(TraitType type) => type switch
    {
        TraitType.None or TraitType.String => "trait_text",
        TraitType.Integer => "trait_int",
        TraitType.Float => "trait_float",
        TraitType.DateTime => "trait_datetime",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown trait type"),
    };
}
