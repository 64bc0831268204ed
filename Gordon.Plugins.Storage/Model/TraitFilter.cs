using System.Globalization;
using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Storage.Model;

/// <summary>
/// One typed trait condition: the event must have a trait named <see cref="Name"/> stored as
/// <see cref="Value"/>'s type whose value satisfies <see cref="Operator"/>. An integer filter never matches a
/// trait stored as text (Panko's per-table semantics).
/// </summary>
/// <param name="Name">The trait name.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Value">The value to compare with; its <see cref="Trait.Type"/> selects the trait table (none is not allowed).</param>
internal sealed record TraitFilter(string Name, FilterOperator Operator, Trait Value)
{
    public static TraitFilter String(string name, string value, FilterOperator op = FilterOperator.Eq) => new(name, op, Trait.String(name, value));

    public static TraitFilter Integer(string name, long value, FilterOperator op = FilterOperator.Eq) => new(name, op, Trait.Integer(name, value));

    public static TraitFilter Float(string name, double value, FilterOperator op = FilterOperator.Eq) => new(name, op, Trait.Float(name, value));

    public static TraitFilter DateTime(string name, DateTimeOffset value, FilterOperator op = FilterOperator.Eq) => new(name, op, Trait.DateTime(name, value));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} {Operator.ToString().ToLowerInvariant()} {Value.FormatValue()} ({Value.Type})");
}
