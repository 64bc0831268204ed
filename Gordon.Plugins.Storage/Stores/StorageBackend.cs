namespace Gordon.Plugins.Storage.Stores;

/// <summary>The kinds of store a <c>[storage] url</c> can name.</summary>
internal enum StorageBackend
{
    Sqlite,
    PostgreSql,
    MariaDb,
    Log,
}
