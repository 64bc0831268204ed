namespace Gordon.Plugins.Storage.Model;

/// <summary>The pagination marker names no stored event.</summary>
public sealed class InvalidMarkerException : Exception
{
    public InvalidMarkerException()
        : this("Marker not found.")
    {
    }

    public InvalidMarkerException(string message)
        : base(message)
    {
    }

    public InvalidMarkerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
