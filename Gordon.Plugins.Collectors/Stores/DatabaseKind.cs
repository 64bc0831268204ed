namespace Gordon.Plugins.Collectors.Stores;

/// <summary>The database engines a database URL can name.</summary>
internal enum DatabaseKind
{
    Sqlite,
    PostgreSql,
    MySql,
}
