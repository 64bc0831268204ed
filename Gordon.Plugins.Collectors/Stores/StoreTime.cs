namespace Gordon.Plugins.Collectors.Stores;

/// <summary>
/// How each engine stores Panko's <c>event.generated</c>: SQLite as INTEGER microseconds since the Unix epoch (UTC),
/// PostgreSQL as <c>timestamp without time zone</c> holding UTC, MariaDB as DECIMAL(20,6) epoch seconds.
/// </summary>
internal static class StoreTime
{
    public static object ToParameter(DatabaseKind kind, DateTimeOffset time) => kind switch
    {
        DatabaseKind.Sqlite => ToMicroseconds(time),
        // Npgsql writes only an Unspecified (or Local) DateTime to a timestamp without time zone.
        DatabaseKind.PostgreSql => DateTime.SpecifyKind(time.UtcDateTime, DateTimeKind.Unspecified),
        _ => ToMicroseconds(time) / 1_000_000m,
    };

    public static DateTimeOffset FromColumn(object value) => value switch
    {
        long micros => FromMicroseconds(micros),
        int micros => FromMicroseconds(micros),
        decimal seconds => FromMicroseconds((long)decimal.Round(seconds * 1_000_000m)),
        double seconds => FromMicroseconds((long)Math.Round(seconds * 1_000_000d)),
        DateTime stamp => new DateTimeOffset(DateTime.SpecifyKind(stamp, DateTimeKind.Utc)),
        DateTimeOffset stamp => stamp.ToUniversalTime(),
        _ => throw new InvalidCastException($"unexpected type {value.GetType().Name} for a stored timestamp"),
    };

    public static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicroseconds(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}
