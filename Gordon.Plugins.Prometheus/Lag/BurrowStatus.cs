namespace Gordon.Plugins.Prometheus.Lag;

/// <summary>Burrow's status names and numbers (0 NOTFOUND … 6 REWIND), as its exporter publishes them.</summary>
internal static class BurrowStatus
{
    /// <summary>OK, the status a partition has when a partial report leaves it out.</summary>
    public const int Ok = 1;

    /// <summary>The partition statuses counted per group, with their numbers.</summary>
    public static readonly (string Name, int Code)[] PartitionStatuses = [("OK", 1), ("WARN", 2), ("STOP", 4), ("STALL", 5), ("REWIND", 6)];

    /// <summary>The number of a status name, or -1 for a name Burrow does not have.</summary>
    /// <param name="name">The name, e.g. <c>WARN</c>.</param>
    /// <returns>The number.</returns>
    public static int Code(string? name) => name switch
    {
        "NOTFOUND" => 0,
        "OK" => 1,
        "WARN" => 2,
        "ERR" => 3,
        "STOP" => 4,
        "STALL" => 5,
        "REWIND" => 6,
        _ => -1,
    };
}
