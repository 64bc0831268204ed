namespace Gordon.Plugins.Storage.Stores.Sql;

/// <summary>One schema step, applied in its own transaction and recorded in <c>gordon_schema_version</c>.</summary>
/// <param name="Version">The version the schema has after this step (1, 2, …).</param>
/// <param name="Description">What the step does.</param>
/// <param name="Statements">The DDL, run in order.</param>
internal sealed record Migration(int Version, string Description, IReadOnlyList<string> Statements);
