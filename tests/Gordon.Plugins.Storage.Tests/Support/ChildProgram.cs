namespace Gordon.Plugins.Storage.Tests.Support;

/// <summary>
/// The test assembly's entry point, used only by tests that need a child process: <c>dotnet &lt;this dll&gt; crash-writer PATH</c>.
/// The test runner loads the assembly as a library and never calls it.
/// </summary>
public static class ChildProgram
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args is ["crash-writer", var path] ? await CrashWriter.RunAsync(path) : 2;
    }
}
