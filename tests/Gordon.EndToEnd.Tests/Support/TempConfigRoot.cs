namespace Gordon.EndToEnd.Tests.Support;

/// <summary>
/// A throw-away config root: the shipped gordon.toml plus a gordon-user.toml written by the test,
/// listening on a free loopback port, with its state and plugins under the same folder.
/// </summary>
internal sealed class TempConfigRoot : IDisposable
{
    public TempConfigRoot()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gordon-e2e-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path);
        File.Copy(System.IO.Path.Combine(PublishedDaemon.Directory, "gordon.toml"), System.IO.Path.Combine(Path, "gordon.toml"));
        System.IO.Directory.CreateDirectory(PluginsDirectory);
    }

    public string Path { get; }

    public string PluginsDirectory => System.IO.Path.Combine(Path, "plugins");

    public string StateDirectory => System.IO.Path.Combine(Path, "state");

    /// <summary>Writes gordon-user.toml; a [core.http] listen on port 0 is added unless the text sets one.</summary>
    public void WriteUserConfig(string toml)
    {
        var text = toml.Contains("[core.http]", StringComparison.Ordinal) ? toml : toml + "\n[core.http]\nlisten = \"127.0.0.1:0\"\n";
        File.WriteAllText(System.IO.Path.Combine(Path, "gordon-user.toml"), text);
    }

    /// <summary>Copies a published plugin folder (artifacts/gordon/plugins/NAME) into this root's plugins/.</summary>
    public void AddPublishedPlugin(string name) =>
        CopyDirectory(System.IO.Path.Combine(PublishedDaemon.Directory, "plugins", name), System.IO.Path.Combine(PluginsDirectory, name));

    public static void CopyDirectory(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file));
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A daemon that has not quite exited may still hold a file; the temp folder is cleaned by the OS.
        }
    }
}
