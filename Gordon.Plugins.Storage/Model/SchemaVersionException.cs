namespace Gordon.Plugins.Storage.Model;

/// <summary>The store's schema is newer than this daemon knows: an older daemon must not write to it.</summary>
public sealed class SchemaVersionException : Exception
{
    public SchemaVersionException()
        : this("The store's schema is newer than this daemon supports.")
    {
    }

    public SchemaVersionException(string message)
        : base(message)
    {
    }

    public SchemaVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
