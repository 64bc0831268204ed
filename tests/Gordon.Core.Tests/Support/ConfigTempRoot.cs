namespace Gordon.Core.Tests.Support;

/// <summary>A fresh config root under the temp folder, deleted on dispose.</summary>
internal sealed class ConfigTempRoot : IDisposable
{
    public ConfigTempRoot()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gordon-config-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Defaults => System.IO.Path.Combine(Path, "gordon.toml");

    public string User => System.IO.Path.Combine(Path, "gordon-user.toml");

    public ConfigTempRoot WithDefaults(string toml)
    {
        File.WriteAllText(Defaults, toml);
        return this;
    }

    public ConfigTempRoot WithUser(string toml)
    {
        File.WriteAllText(User, toml);
        return this;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
