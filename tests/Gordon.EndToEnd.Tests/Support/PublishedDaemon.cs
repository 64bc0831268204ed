namespace Gordon.EndToEnd.Tests.Support;

/// <summary>Finds the published daemon: $GORDON_PUBLISH_DIR (set by build.cake) or artifacts/gordon above the test.</summary>
internal static class PublishedDaemon
{
    public static string Directory
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("GORDON_PUBLISH_DIR");
            if (!string.IsNullOrEmpty(fromEnv) && File.Exists(Path.Combine(fromEnv, "gordon")))
            {
                return fromEnv;
            }

            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "artifacts", "gordon");
                if (File.Exists(Path.Combine(candidate, "gordon")))
                {
                    return candidate;
                }
            }

            Assert.Fail("The published daemon was not found: run `dotnet cake --target=Publish` (or --target=Test) first.");
            return string.Empty;
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gordon.slnx")))
                {
                    return dir.FullName;
                }
            }

            Assert.Fail("The repository root (Gordon.slnx) was not found above the test directory.");
            return string.Empty;
        }
    }

    public static string Executable => Path.Combine(Directory, "gordon");
}
