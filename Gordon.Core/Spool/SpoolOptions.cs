using Gordon.Abstractions.Configuration;

namespace Gordon.Core.Spool;

/// <summary>The <c>[core.spool]</c> settings.</summary>
internal sealed record SpoolOptions
{
    public static SpoolOptions Default { get; } = new();

    public bool Enabled { get; init; }

    /// <summary>The spool's folder; relative paths are under the state directory.</summary>
    public string Directory { get; init; } = "spool";

    public SpoolFsync Fsync { get; init; } = SpoolFsync.Interval;

    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The most bytes of unfinished messages the spool holds before it refuses new ones.</summary>
    public long MaxSize { get; init; } = 256L * 1024 * 1024;

    /// <summary>A segment file is closed and a new one begun past this size.</summary>
    public long SegmentSize { get; init; } = 16L * 1024 * 1024;

    public static SpoolOptions Read(ConfigSection section, string stateDirectory)
    {
        ArgumentNullException.ThrowIfNull(section);
        var d = Default;
        var directory = section.GetString("directory", d.Directory);
        return new SpoolOptions
        {
            Enabled = section.GetBoolean("enabled", d.Enabled),
            Directory = Path.GetFullPath(directory, stateDirectory),
            Fsync = section.GetEnum("fsync", d.Fsync),
            FsyncInterval = section.GetDuration("fsync_interval", d.FsyncInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10)),
            MaxSize = section.GetSize("max_size", d.MaxSize, min: 1024 * 1024),
            SegmentSize = section.GetSize("segment_size", d.SegmentSize, min: 64 * 1024),
        };
    }
}
