namespace Gordon.Plugins.Burrow.Parsing;

/// <summary>Burrow's status names and their numeric codes (0 NOTFOUND … 6 REWIND), as Burrow's protocol numbers them.</summary>
internal static class BurrowStatus
{
    public const int Unknown = -1;

    // Indexed by code; the instances are shared, so a parsed status allocates no string.
    private static readonly string[] Names = ["NOTFOUND", "OK", "WARN", "ERR", "STOP", "STALL", "REWIND"];

    public const int NotFound = 0;

    public const int Ok = 1;

    public const int Warn = 2;

    public const int Err = 3;

    /// <summary>The name of a code 0–6.</summary>
    public static string NameOf(int code) => Names[code];

    public static bool IsValidCode(long code) => code is >= 0 and <= 6;

    /// <summary>Finds the code of a status name, ignoring case.</summary>
    /// <returns>The code, or <see cref="Unknown"/> for a name Burrow does not have.</returns>
    public static int CodeOf(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (name.Equals(Names[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return Unknown;
    }

    /// <summary>Finds the code of a status name given as exact upper-case UTF-8 (the way Burrow writes it).</summary>
    public static int CodeOfUtf8(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("OK"u8) => 1,
        _ when name.SequenceEqual("WARN"u8) => 2,
        _ when name.SequenceEqual("ERR"u8) => 3,
        _ when name.SequenceEqual("STOP"u8) => 4,
        _ when name.SequenceEqual("STALL"u8) => 5,
        _ when name.SequenceEqual("REWIND"u8) => 6,
        _ when name.SequenceEqual("NOTFOUND"u8) => 0,
        _ => Unknown,
    };
}
