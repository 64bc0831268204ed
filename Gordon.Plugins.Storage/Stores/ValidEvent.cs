namespace Gordon.Plugins.Storage.Stores;

/// <summary>An event checked against the schema's limits, in the shape the tables take.</summary>
internal sealed class ValidEvent
{
    public required string MessageId { get; init; }

    public required string EventType { get; init; }

    public required long GeneratedMicros { get; init; }

    public required string Raw { get; init; }

    /// <summary>Text traits; a null value is a trait of type none.</summary>
    public List<KeyValuePair<string, string?>> Texts { get; } = [];

    public List<KeyValuePair<string, long>> Integers { get; } = [];

    public List<KeyValuePair<string, double>> Floats { get; } = [];

    /// <summary>Datetime traits in microseconds since the epoch.</summary>
    public List<KeyValuePair<string, long>> DateTimes { get; } = [];

    public int TraitCount => Texts.Count + Integers.Count + Floats.Count + DateTimes.Count;
}
