namespace Gordon.Core.Spool;

/// <summary>When the spool forces its writes to disk.</summary>
internal enum SpoolFsync
{
    /// <summary>
    /// Before a message is acknowledged, it is written to the operating system (it survives the daemon's crash),
    /// and every <see cref="SpoolOptions.FsyncInterval"/> the segment is flushed to disk (a power loss can cost
    /// that long).
    /// </summary>
    Interval,

    /// <summary>Before a message is acknowledged, it is on disk. Appends that wait together share one fsync.</summary>
    Always,
}
