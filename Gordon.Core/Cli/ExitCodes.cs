namespace Gordon.Core.Cli;

/// <summary>The process exit codes, documented in the README.</summary>
internal static class ExitCodes
{
    /// <summary>Clean stop, or a command that found no problem.</summary>
    public const int Ok = 0;

    /// <summary>The daemon crashed at run time (a runnable crashed under strict, or none is left).</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>
    /// The configuration, the plugins or the route are invalid (sysexits' EX_CONFIG), so systemd's
    /// restart policy does not loop on a config that cannot work.
    /// </summary>
    public const int Config = 78;

    /// <summary>The daemon could not reach something it needs (e.g. the HTTP port is taken).</summary>
    public const int Unavailable = 69;
}
