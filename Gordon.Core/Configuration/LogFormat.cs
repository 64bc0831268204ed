namespace Gordon.Core.Configuration;

/// <summary>How log lines are written (<c>[core.logging] format</c>).</summary>
internal enum LogFormat
{
    /// <summary>Journald format under systemd, human-readable on a terminal.</summary>
    Auto,

    /// <summary>Human-readable console lines.</summary>
    Console,

    /// <summary>Systemd journal format (priority prefixes).</summary>
    Journald,

    /// <summary>One JSON object per line.</summary>
    Json,
}
