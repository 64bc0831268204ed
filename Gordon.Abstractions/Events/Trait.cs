using System.Globalization;

namespace Gordon.Abstractions.Events;

/// <summary>
/// One named, typed value of an <see cref="Event"/>. A trait holds exactly one value of its
/// <see cref="Type"/>; create traits with the static factory methods.
/// </summary>
public readonly record struct Trait
{
    private readonly string? _text;
    private readonly long _integer;
    private readonly double _float;

    private Trait(string name, TraitType type, string? text, long integer, double @float)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type;
        _text = text;
        _integer = integer;
        _float = @float;
    }

    /// <summary>The trait name, e.g. <c>cluster</c>.</summary>
    public string Name { get; }

    /// <summary>The value type.</summary>
    public TraitType Type { get; }

    /// <summary>The text value; valid when <see cref="Type"/> is <see cref="TraitType.String"/>.</summary>
    public string StringValue => Type == TraitType.String ? _text! : throw WrongType(TraitType.String);

    /// <summary>The integer value; valid when <see cref="Type"/> is <see cref="TraitType.Integer"/>.</summary>
    public long IntegerValue => Type == TraitType.Integer ? _integer : throw WrongType(TraitType.Integer);

    /// <summary>The float value; valid when <see cref="Type"/> is <see cref="TraitType.Float"/>.</summary>
    public double FloatValue => Type == TraitType.Float ? _float : throw WrongType(TraitType.Float);

    /// <summary>The timestamp value (UTC); valid when <see cref="Type"/> is <see cref="TraitType.DateTime"/>.</summary>
    public DateTimeOffset DateTimeValue =>
        Type == TraitType.DateTime ? new DateTimeOffset(_integer, TimeSpan.Zero) : throw WrongType(TraitType.DateTime);

    /// <summary>The value boxed as its CLR type (<see langword="null"/> for <see cref="TraitType.None"/>).</summary>
    public object? Value => Type switch
    {
        TraitType.String => _text,
        TraitType.Integer => _integer,
        TraitType.Float => _float,
        TraitType.DateTime => DateTimeValue,
        _ => null,
    };

    /// <summary>Creates a text trait.</summary>
    /// <param name="name">The trait name.</param>
    /// <param name="value">The text; not null.</param>
    public static Trait String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new Trait(name, TraitType.String, value, 0, 0);
    }

    /// <summary>Creates an integer trait.</summary>
    /// <param name="name">The trait name.</param>
    /// <param name="value">The value.</param>
    public static Trait Integer(string name, long value) => new(name, TraitType.Integer, null, value, 0);

    /// <summary>Creates a float trait.</summary>
    /// <param name="name">The trait name.</param>
    /// <param name="value">The value.</param>
    public static Trait Float(string name, double value) => new(name, TraitType.Float, null, 0, value);

    /// <summary>Creates a timestamp trait; the value is converted to UTC.</summary>
    /// <param name="name">The trait name.</param>
    /// <param name="value">The timestamp.</param>
    public static Trait DateTime(string name, DateTimeOffset value) =>
        new(name, TraitType.DateTime, null, value.UtcTicks, 0);

    /// <summary>Creates a trait with no value.</summary>
    /// <param name="name">The trait name.</param>
    public static Trait None(string name) => new(name, TraitType.None, null, 0, 0);

    /// <summary>
    /// The value as text, the way Panko's API returns trait values: integers and floats in invariant
    /// culture, timestamps in ISO 8601, <see langword="null"/> for <see cref="TraitType.None"/>.
    /// </summary>
    public string? FormatValue() => Type switch
    {
        TraitType.String => _text,
        TraitType.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        TraitType.Float => _float.ToString("R", CultureInfo.InvariantCulture),
        TraitType.DateTime => DateTimeValue.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <inheritdoc />
    public override string ToString() => $"{Name}({Type})={FormatValue()}";

    private InvalidOperationException WrongType(TraitType wanted) =>
        new($"Trait '{Name}' is of type {Type}, not {wanted}.");
}
