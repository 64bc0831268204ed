using System.Diagnostics;
using Gordon.EndToEnd.Tests.Support;

namespace Gordon.EndToEnd.Tests.Reliability;

/// <summary>
/// Publishes Fixture/RecordingPlugin (kept as .fixture files so this project does not compile it) into a scratch
/// folder: a publish-phase handler that appends every message id it handles to a file and fsyncs it.
/// </summary>
internal sealed class RecorderFixture : IDisposable
{
    private RecorderFixture(string scratch)
    {
        Scratch = scratch;
    }

    public string PublishedDirectory => Path.Combine(Scratch, "out");

    private string Scratch { get; }

    public static async Task<RecorderFixture> PublishAsync(CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "gordon-e2e-recorder-" + Guid.NewGuid().ToString("N"));
        var source = Path.Combine(scratch, "src");
        Directory.CreateDirectory(source);
        var fixture = Path.Combine(PublishedDaemon.RepositoryRoot, "tests", "Gordon.EndToEnd.Tests", "Reliability", "Fixture");
        File.Copy(Path.Combine(fixture, "RecordingPlugin.cs.fixture"), Path.Combine(source, "RecordingPlugin.cs"));
        File.Copy(Path.Combine(fixture, "RecordingPlugin.csproj.fixture"), Path.Combine(source, "RecordingPlugin.csproj"));
        var abstractions = Path.Combine(PublishedDaemon.RepositoryRoot, "Gordon.Abstractions", "Gordon.Abstractions.csproj");
        var result = new RecorderFixture(scratch);
        using var publish = Process.Start(new ProcessStartInfo(
            "dotnet",
            $"publish \"{source}\" -c Release -o \"{result.PublishedDirectory}\" --artifacts-path \"{Path.Combine(scratch, "artifacts")}\" " +
            $"-p:GordonAbstractions=\"{abstractions}\" --nologo")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await publish.StandardOutput.ReadToEndAsync(cancellationToken);
        await publish.WaitForExitAsync(cancellationToken);
        Assert.That(publish.ExitCode, Is.Zero, output);
        return result;
    }

    public void Dispose()
    {
        if (Directory.Exists(Scratch))
        {
            Directory.Delete(Scratch, recursive: true);
        }
    }
}
