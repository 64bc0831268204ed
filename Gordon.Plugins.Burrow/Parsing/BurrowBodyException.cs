namespace Gordon.Plugins.Burrow.Parsing;

/// <summary>A body that is JSON but not a Burrow report Gordon can accept; the message names the field.</summary>
internal sealed class BurrowBodyException : Exception
{
    public BurrowBodyException()
    {
    }

    public BurrowBodyException(string message)
        : base(message)
    {
    }

    public BurrowBodyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
