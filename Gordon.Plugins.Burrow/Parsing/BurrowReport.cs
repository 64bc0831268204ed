namespace Gordon.Plugins.Burrow.Parsing;

/// <summary>A validated Burrow report: what the event is made from.</summary>
internal sealed record BurrowReport
{
    public required BodyShape Shape { get; init; }

    public required GroupStatusFields Status { get; init; }

    /// <summary>Burrow's incident id; null when Burrow sent none or an empty one.</summary>
    public string? IncidentId { get; init; }

    /// <summary>When Burrow opened the incident; null for Go's zero time or a value that is not a time.</summary>
    public DateTimeOffset? IncidentStart { get; init; }

    /// <summary>True when the report closes an incident (status OK with an id, a close template, or DELETE).</summary>
    public bool Closes { get; init; }

    /// <summary>True when every partition of the group is listed.</summary>
    public bool IsFull { get; init; }
}
