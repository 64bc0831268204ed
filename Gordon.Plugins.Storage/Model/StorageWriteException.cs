namespace Gordon.Plugins.Storage.Model;

/// <summary>An event was not stored because the database failed; the router retries it.</summary>
public sealed class StorageWriteException : Exception
{
    public StorageWriteException()
        : this("The event was not stored.")
    {
    }

    public StorageWriteException(string message)
        : base(message)
    {
    }

    public StorageWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
