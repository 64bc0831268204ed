using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Gordon.Abstractions.Collectors;
using Gordon.Abstractions.Events;
using Gordon.Plugins.Collectors.Stores;

namespace Gordon.Plugins.Collectors.Interval.Probes;

/// <summary>
/// <c>sql</c>: runs <c>params.query</c> on <c>params.url</c> (default: the event store, <c>store_url</c>) in a
/// read-only connection or transaction, and emits one event per row (at most <c>params.max_rows</c>): integer and
/// boolean columns as integers, decimals and floats as floats, timestamps as datetimes, text as strings; NULLs are
/// left out. <c>series</c> is the row's <c>params.label_column</c> value, or its index.
/// </summary>
internal sealed class SqlProbe(string defaultUrl, string baseDirectory) : ICollectorProbe
{
    public string? ValidateParameters(JsonElement parameters) => ProbeParameters.Check(() =>
    {
        _ = ProbeParameters.RequireString(parameters, "query");
        _ = Url(parameters);
        _ = ProbeParameters.Duration(parameters, "timeout", TimeSpan.FromSeconds(30));
        _ = ProbeParameters.Integer(parameters, "max_rows", 1000, 1, 100_000);
    });

    public async Task<IReadOnlyList<ProbeSample>> RunAsync(ProbeInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var parameters = invocation.Parameters;
        var url = Url(parameters);
        var query = ProbeParameters.RequireString(parameters, "query");
        var maxRows = ProbeParameters.Integer(parameters, "max_rows", 1000, 1, 100_000);
        var label = ProbeParameters.String(parameters, "label_column");
        var timeout = ProbeParameters.Duration(parameters, "timeout", TimeSpan.FromSeconds(30));
        using var timer = new CancellationTokenSource(timeout, invocation.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return await QueryAsync(url, query, maxRows, label, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"the query did not finish within {timeout.TotalSeconds} s"));
        }
    }

    private static async Task<IReadOnlyList<ProbeSample>> QueryAsync(DatabaseUrl url, string query, long maxRows, string? label, CancellationToken cancellationToken)
    {
        var connection = await url.OpenReadOnlyAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            DbTransaction? transaction = null;
            if (url.Kind == DatabaseKind.MySql)
            {
                // Plain SQL: the driver's BeginTransaction sets its own characteristics and would drop READ ONLY.
                await ExecuteAsync(connection, null, "START TRANSACTION READ ONLY", cancellationToken).ConfigureAwait(false);
            }
            else if (url.Kind == DatabaseKind.PostgreSql)
            {
                transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                if (url.Kind == DatabaseKind.PostgreSql)
                {
                    await ExecuteAsync(connection, transaction, "SET TRANSACTION READ ONLY", cancellationToken).ConfigureAwait(false);
                }

                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = query;
                    command.Transaction = transaction;
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var samples = new List<ProbeSample>();
                        while (samples.Count < maxRows && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            samples.Add(Row(reader, label, samples.Count));
                        }

                        return samples;
                    }
                }
            }
            finally
            {
                if (transaction is not null)
                {
                    await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                    await transaction.DisposeAsync().ConfigureAwait(false);
                }
                else if (url.Kind == DatabaseKind.MySql && connection.State == ConnectionState.Open)
                {
                    await ExecuteAsync(connection, null, "ROLLBACK", CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    private static ProbeSample Row(DbDataReader reader, string? label, int index)
    {
        var traits = new List<Trait>();
        string? series = null;
        for (var column = 0; column < reader.FieldCount; column++)
        {
            var name = reader.GetName(column);
            if (reader.IsDBNull(column) || name.Length == 0)
            {
                continue;
            }

            var value = reader.GetValue(column);
            if (name == label)
            {
                series = Convert.ToString(value, CultureInfo.InvariantCulture);
            }

            Trait? trait = value switch
            {
                long or int or short or byte or sbyte or ushort or uint => Trait.Integer(name, Convert.ToInt64(value, CultureInfo.InvariantCulture)),
                ulong u when u <= long.MaxValue => Trait.Integer(name, (long)u),
                bool b => Trait.Integer(name, b ? 1 : 0),
                double or float or decimal or ulong => Trait.Float(name, Convert.ToDouble(value, CultureInfo.InvariantCulture)),
                DateTime stamp => Trait.DateTime(name, new DateTimeOffset(DateTime.SpecifyKind(stamp, DateTimeKind.Utc))),
                DateTimeOffset stamp => Trait.DateTime(name, stamp),
                string text => Trait.String(name, text),
                _ => null,
            };
            if (trait is { } t)
            {
                traits.Add(t);
            }
        }

        traits.Insert(0, Trait.String("series", series ?? index.ToString(CultureInfo.InvariantCulture)));
        return new ProbeSample(traits);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private DatabaseUrl Url(JsonElement parameters)
    {
        var text = ProbeParameters.String(parameters, "url") ?? defaultUrl;
        return DatabaseUrl.Parse(text, baseDirectory, out var error) ?? throw new ArgumentException($"params.url: {error}");
    }
}
