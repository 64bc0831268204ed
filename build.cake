// Gordon's build: dotnet tool restore && dotnet cake --target=<Clean|Build|Test|Publish|Run|Bench>
using System.Xml.Linq;

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var bench = Argument("bench", "");
var testFilter = Argument("filter", "");

var root = MakeAbsolute(Directory("."));
var artifacts = root.Combine("artifacts");
var publishDir = artifacts.Combine("gordon");
var testResults = artifacts.Combine("test-results");
var solution = root.CombineWithFilePath("Gordon.slnx");

Task("Clean")
    .Does(() =>
{
    CleanDirectory(artifacts);
    DotNetClean(solution.FullPath, new DotNetCleanSettings { Configuration = configuration });
});

Task("Build")
    .Does(() =>
{
    DotNetBuild(solution.FullPath, new DotNetBuildSettings
    {
        Configuration = configuration,
        MSBuildSettings = new DotNetMSBuildSettings().TreatAllWarningsAs(MSBuildTreatAllWarningsAs.Error),
    });
});

Task("Publish")
    .IsDependentOn("Build")
    .Does(() =>
{
    CleanDirectory(publishDir);
    DotNetPublish(root.CombineWithFilePath("Gordon.Core/Gordon.Core.csproj").FullPath, new DotNetPublishSettings
    {
        Configuration = configuration,
        NoBuild = true,
        OutputDirectory = publishDir,
    });
    CopyFile(root.CombineWithFilePath("gordon.toml"), publishDir.CombineWithFilePath("gordon.toml"));
    CopyFile(root.CombineWithFilePath("gordon-user.toml"), publishDir.CombineWithFilePath("gordon-user.toml"));
    EnsureDirectoryExists(publishDir.Combine("plugins"));
    foreach (var plugin in GetFiles("./Gordon.Plugins.*/Gordon.Plugins.*.csproj"))
    {
        var name = plugin.GetFilenameWithoutExtension().FullPath;
        if (!GetFiles(plugin.GetDirectory().FullPath + "/**/*.cs").Any(f => !f.FullPath.Contains("/obj/")))
        {
            // A plugin project with no code yet is not shipped: the daemon would only warn about it.
            Information($"Skipping {name}: no code yet.");
            continue;
        }

        DotNetPublish(plugin.FullPath, new DotNetPublishSettings
        {
            Configuration = configuration,
            NoBuild = true,
            OutputDirectory = publishDir.Combine("plugins").Combine(name),
        });
    }

    Information($"Published to {publishDir}");
});

Task("Test")
    .IsDependentOn("Publish")
    .Does(() =>
{
    CleanDirectory(testResults);
    var failures = new List<string>();
    foreach (var project in GetFiles("./tests/*/*.Tests.csproj"))
    {
        var name = project.GetFilenameWithoutExtension().FullPath;
        var settings = new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            ResultsDirectory = testResults,
            Loggers = new[] { $"trx;LogFileName={name}.trx", "console;verbosity=minimal" },
            EnvironmentVariables = new Dictionary<string, string> { ["GORDON_PUBLISH_DIR"] = publishDir.FullPath },
        };
        if (!string.IsNullOrEmpty(testFilter))
        {
            settings.Filter = testFilter;
        }

        try
        {
            DotNetTest(project.FullPath, settings);
        }
        catch (Exception e)
        {
            failures.Add($"{name}: {e.Message}");
        }
    }

    int passed = 0, failed = 0, skipped = 0;
    foreach (var trx in GetFiles(testResults.FullPath + "/*.trx"))
    {
        foreach (var result in XDocument.Load(trx.FullPath).Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
        {
            switch ((string)result.Attribute("outcome"))
            {
                case "Passed": passed++; break;
                case "Failed": case "Error": case "Timeout": case "Aborted": failed++; break;
                default: skipped++; break;
            }
        }
    }

    // A project that crashed before writing results still fails the run.
    if (failures.Count > 0 && failed == 0)
    {
        failed = failures.Count;
    }

    var summary = skipped > 0 ? $"{passed} passed, {failed} failed, {skipped} skipped" : $"{passed} passed, {failed} failed";
    System.IO.File.WriteAllText(testResults.CombineWithFilePath("summary.txt").FullPath, summary + "\n");
    Information(summary);
    if (failed > 0 || failures.Count > 0)
    {
        throw new Exception($"Tests failed: {string.Join("; ", failures)}");
    }
});

Task("Run")
    .IsDependentOn("Publish")
    .Does(() =>
{
    var exe = publishDir.CombineWithFilePath("gordon");
    var code = StartProcess(exe, new ProcessSettings
    {
        Arguments = $"run -c \"{publishDir.FullPath}\"",
        WorkingDirectory = publishDir,
    });
    if (code != 0)
    {
        throw new Exception($"gordon exited with code {code}");
    }
});

Task("Bench")
    .IsDependentOn("Build")
    .Does(() =>
{
    var project = root.CombineWithFilePath("benchmarks/Gordon.Benchmarks/Gordon.Benchmarks.csproj");
    if (!FileExists(project))
    {
        Warning("No benchmarks yet.");
        return;
    }

    DotNetRun(project.FullPath, new DotNetRunSettings
    {
        Configuration = configuration,
        NoBuild = true,
        ArgumentCustomization = args => args.Append("--").Append(string.IsNullOrEmpty(bench) ? "--bench=all" : $"--bench={bench}"),
    });
});

RunTarget(target);
