namespace Gordon.Plugins.Storage.Model;

/// <summary>The result of an upgrade: the schema version before and after.</summary>
/// <param name="From">The version found (0 for an empty database).</param>
/// <param name="To">The version now.</param>
internal readonly record struct SchemaUpgrade(int From, int To);
