namespace Gordon.Core.Hosting;

/// <summary>Where the daemon is in its life; only <see cref="Running"/> answers /health with 200.</summary>
internal enum DaemonState
{
    Starting,
    Running,
    Draining,
    Stopped,
}
