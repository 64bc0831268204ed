using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Gordon.Plugins.Storage.Stores.Sql;

/// <summary>A SQL statement under construction with its positional parameters (<c>@p0</c>, <c>@p1</c>, …).</summary>
internal sealed class SqlText
{
    private readonly StringBuilder _sql = new();
    private readonly List<object?> _values = [];

    public SqlText Append(string text)
    {
        _sql.Append(text);
        return this;
    }

    /// <summary>Adds a parameter and returns its placeholder.</summary>
    public string Param(object? value)
    {
        _values.Add(value);
        return "@p" + (_values.Count - 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Appends a parameter's placeholder.</summary>
    public SqlText AppendParam(object? value) => Append(Param(value));

    public DbCommand CreateCommand(DbConnection connection, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Built from fixed fragments; every value is a parameter.
        command.CommandText = _sql.ToString();
#pragma warning restore CA2100
        for (var i = 0; i < _values.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            parameter.Value = _values[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public override string ToString() => _sql.ToString();
}
