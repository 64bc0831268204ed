namespace Gordon.Plugins.Storage.Stores;

/// <summary>Timestamps as stored: microseconds since the Unix epoch, UTC (sub-microsecond ticks are dropped, as Panko).</summary>
internal static class TimeCodec
{
    private const long TicksPerMicrosecond = 10;

    public static long ToMicros(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return (ticks - (ticks % TicksPerMicrosecond) - DateTime.UnixEpoch.Ticks) / TicksPerMicrosecond;
    }

    public static DateTimeOffset FromMicros(long micros) =>
        new(DateTime.UnixEpoch.Ticks + (micros * TicksPerMicrosecond), TimeSpan.Zero);

    /// <summary>A naive UTC <see cref="DateTime"/> (Kind unspecified), for <c>timestamp without time zone</c>.</summary>
    public static DateTime ToNaiveUtc(long micros) =>
        new(DateTime.UnixEpoch.Ticks + (micros * TicksPerMicrosecond), DateTimeKind.Unspecified);

    public static long FromNaiveUtc(DateTime value) => (value.Ticks - DateTime.UnixEpoch.Ticks) / TicksPerMicrosecond;

    /// <summary>Epoch seconds with six decimals, for MariaDB's DECIMAL(20,6).</summary>
    public static decimal ToEpochSeconds(long micros) => micros / 1_000_000m;

    public static long FromEpochSeconds(decimal seconds) => (long)(seconds * 1_000_000m);
}
