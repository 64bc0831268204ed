namespace Gordon.Plugins.Storage.Commands;

/// <summary>The exit codes the daemon's commands use (sysexits where one fits).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Unavailable = 69;
    public const int Config = 78;
}
