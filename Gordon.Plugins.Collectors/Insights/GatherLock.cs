namespace Gordon.Plugins.Collectors.Insights;

/// <summary>
/// Lets one gather run at a time across processes (the daemon's schedule and <c>gordon collect</c>): an exclusive,
/// non-blocking lock on a file in the state directory. The operating system releases it if the process dies.
/// </summary>
internal sealed class GatherLock(string path)
{
    public string Path { get; } = path;

    /// <summary>Takes the lock, or returns null at once when another gather holds it.</summary>
    public IDisposable? TryAcquire()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        try
        {
            // FileShare.None is an exclusive flock on Unix: a second open fails, in this process or another.
            return new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
