namespace Gordon.Core.Tests.Support;

/// <summary>
/// A fresh plugin directory per test, filled with copies of the published fixtures (bin/…/fixtures/&lt;Name&gt;/),
/// so a test may delete or corrupt files without touching other tests.
/// </summary>
internal sealed class PluginTestDirectory : IDisposable
{
    public PluginTestDirectory()
    {
        Root = Directory.CreateTempSubdirectory("gordon-plugins-").FullName;
    }

    /// <summary>Where the test project's build published the fixture plugins.</summary>
    public static string FixturesRoot => Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures");

    public string Root { get; }

    /// <summary>Copies a fixture's publish folder as <c>&lt;sub&gt;/&lt;fixture&gt;/</c> and returns the plugin dll's path.</summary>
    public string AddFolder(string fixture, string subdirectory = "")
    {
        var source = Path.Combine(FixturesRoot, fixture);
        if (!Directory.Exists(source))
        {
            Assert.Fail($"fixture {fixture} was not published to {source}: build tests/Gordon.Core.Tests first");
        }

        var target = Path.Combine(Root, subdirectory, fixture);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return Path.Combine(target, fixture + ".dll");
    }

    /// <summary>Copies only a fixture's dll, directly into the plugin directory.</summary>
    public string AddSingleDll(string fixture)
    {
        var target = Path.Combine(Root, fixture + ".dll");
        File.Copy(Path.Combine(FixturesRoot, fixture, fixture + ".dll"), target);
        return target;
    }

    /// <summary>Writes a file of garbage bytes with a .dll name.</summary>
    public string AddCorruptDll(string relativePath)
    {
        var target = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var garbage = new byte[4096];
        new Random(42).NextBytes(garbage);
        "MZ"u8.CopyTo(garbage); // looks like a PE at a glance, so the reader must actually reject the rest
        File.WriteAllBytes(target, garbage);
        return target;
    }

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A loaded plugin file may still be mapped; the temp directory is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
