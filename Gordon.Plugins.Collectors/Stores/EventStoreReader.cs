using System.Data.Common;
using Gordon.Abstractions.Events.ConsumerLag;

namespace Gordon.Plugins.Collectors.Stores;

/// <summary>
/// Reads the Panko-shaped event store (<c>event_type</c>, <c>event</c>, <c>trait_*</c>) that the storage plugin writes,
/// with plain SQL, so the collectors need no reference to the storage plugin.
/// </summary>
internal sealed class EventStoreReader(DatabaseUrl url)
{
    /// <summary>One hour's count of one event type.</summary>
    public readonly record struct HourlyCount(DateTimeOffset Hour, string EventType, long Count);

    /// <summary>The latest consumer-status report of one group.</summary>
    public readonly record struct GroupLag(string Cluster, string Group, string? Status, long TotalLag, DateTimeOffset Generated);

    /// <summary>Events per type and hour with <c>since &lt;= generated &lt; until</c>, by hour then type.</summary>
    public async IAsyncEnumerable<HourlyCount> HourlyCountsAsync(
        DateTimeOffset since,
        DateTimeOffset until,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var hour = url.Kind switch
        {
            DatabaseKind.Sqlite => "(e.generated / 3600000000) * 3600000000",
            DatabaseKind.PostgreSql => "date_trunc('hour', e.generated)",
            _ => "FLOOR(e.generated / 3600) * 3600",
        };
        var sql = $"""
            SELECT {hour} AS hour_start, t.{url.Quote("desc")} AS event_type, COUNT(*) AS events
            FROM event e JOIN event_type t ON t.id = e.event_type_id
            WHERE e.generated >= @since AND e.generated < @until
            GROUP BY {hour}, t.{url.Quote("desc")}
            ORDER BY 1, 2
            """;
        var connection = await url.OpenReadOnlyAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, sql, since, until);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var start = url.Kind == DatabaseKind.MySql
                            ? DateTimeOffset.FromUnixTimeSeconds((long)Convert.ToDecimal(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture))
                            : StoreTime.FromColumn(reader.GetValue(0));
                        yield return new HourlyCount(start, reader.GetString(1), Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
            }
        }
    }

    /// <summary>Per cluster and group, the latest consumer-status report with <c>since &lt;= generated &lt; until</c>.</summary>
    public async IAsyncEnumerable<GroupLag> LatestLagAsync(
        DateTimeOffset since,
        DateTimeOffset until,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string Q(string name) => url.Quote(name);
        var sql = $"""
            SELECT cluster, grp, status, totallag, generated FROM (
                SELECT c.{Q("value")} AS cluster, g.{Q("value")} AS grp, s.{Q("value")} AS status, l.{Q("value")} AS totallag,
                       e.generated AS generated,
                       ROW_NUMBER() OVER (PARTITION BY c.{Q("value")}, g.{Q("value")} ORDER BY e.generated DESC, e.id DESC) AS rn
                FROM event e
                JOIN event_type t ON t.id = e.event_type_id
                JOIN trait_text c ON c.event_id = e.id AND c.{Q("key")} = @cluster
                JOIN trait_text g ON g.event_id = e.id AND g.{Q("key")} = @group
                JOIN trait_int l ON l.event_id = e.id AND l.{Q("key")} = @totallag
                LEFT JOIN trait_text s ON s.event_id = e.id AND s.{Q("key")} = @status
                WHERE t.{Q("desc")} = @type AND e.generated >= @since AND e.generated < @until
            ) latest
            WHERE rn = 1
            ORDER BY cluster, grp
            """;
        var connection = await url.OpenReadOnlyAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, sql, since, until);
            await using (command.ConfigureAwait(false))
            {
                Add(command, "@type", ConsumerStatusEvent.EventType);
                Add(command, "@cluster", ConsumerStatusTraits.Cluster);
                Add(command, "@group", ConsumerStatusTraits.Group);
                Add(command, "@totallag", ConsumerStatusTraits.TotalLag);
                Add(command, "@status", ConsumerStatusTraits.Status);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        yield return new GroupLag(
                            reader.GetString(0),
                            reader.GetString(1),
                            reader.IsDBNull(2) ? null : reader.GetString(2),
                            Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
                            StoreTime.FromColumn(reader.GetValue(4)));
                    }
                }
            }
        }
    }

    private DbCommand Command(DbConnection connection, string sql, DateTimeOffset since, DateTimeOffset until)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        Add(command, "@since", StoreTime.ToParameter(url.Kind, since));
        Add(command, "@until", StoreTime.ToParameter(url.Kind, until));
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
