using Gordon.Core.Cli;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Cli;

public sealed class GordonCliPluginCommandTests
{
    private PluginTestDirectory _plugins = null!;
    private ConfigTempRoot _root = null!;

    [SetUp]
    public void SetUp()
    {
        _plugins = new PluginTestDirectory();
        _plugins.AddFolder("CommandPlugin");
        _root = new ConfigTempRoot().WithDefaults($"""
            [core]
            plugin_dirs = ["{_plugins.Root}"]
            state_dir = "state"
            """);
    }

    [TearDown]
    public void TearDown()
    {
        _root.Dispose();
        _plugins.Dispose();
    }

    [Test]
    public async Task PluginCommand_WithArgumentsFlagsAndRepeatedOptions_RunsWithTheParsedValues()
    {
        var (code, output, error) = await RunAsync("echo", "hi", "!", "--upper", "--tag", "a", "--tag", "b", "-c", _root.Path);

        Assert.That(error, Is.Empty);
        Assert.That(code, Is.Zero);
        Assert.That(output, Is.EqualTo("echo: HI! tags=[a,b] daemon=True\n"));
    }

    [Test]
    public async Task PluginCommand_ReadsThePluginsConfigFromTheConfigRoot()
    {
        File.WriteAllText(_root.User, "[commands]\nprefix = \"said\"\n");

        var (code, output, _) = await RunAsync("echo", "x", "--config-root", _root.Path);

        Assert.That(code, Is.Zero);
        Assert.That(output, Does.StartWith("said: x "));
    }

    [Test]
    public async Task PluginCommand_ReturnsItsExitCode()
    {
        var (code, _, _) = await RunAsync("echo", "x", "--exit", "3", $"--config-root={_root.Path}");

        Assert.That(code, Is.EqualTo(3));
    }

    [Test]
    public async Task PluginCommand_Throwing_IsOneLineOnStderrAndExit1()
    {
        var (code, _, error) = await RunAsync("echo", "fail", "-c", _root.Path);

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error, Is.EqualTo("gordon fail: the fixture failed on purpose\n"));
    }

    [Test]
    public async Task PluginCommand_MissingRequiredArgument_IsAUsageError()
    {
        var (code, _, error) = await RunAsync("echo", "-c", _root.Path);

        Assert.That(code, Is.Not.Zero);
        Assert.That(error, Does.Contain("Required argument missing"));
    }

    [Test]
    public async Task UnknownCommand_WithABrokenPluginConfig_SaysWhyThePluginCommandsAreMissing()
    {
        File.WriteAllText(_root.User, "[commands]\nhealth = \"splendid\"\n");

        var (code, _, error) = await RunAsync("echo", "x", "-c", _root.Path);

        Assert.That(code, Is.Not.Zero);
        Assert.That(error, Does.Contain("commands.health"));
    }

    [Test]
    public void FindConfigRoot_AcceptsEverySpelling()
    {
        Assert.That(PluginCommandSet.FindConfigRoot(["x", "-c", "a"]), Is.EqualTo("a"));
        Assert.That(PluginCommandSet.FindConfigRoot(["--config-root", "b", "x"]), Is.EqualTo("b"));
        Assert.That(PluginCommandSet.FindConfigRoot(["--config-root=c"]), Is.EqualTo("c"));
        Assert.That(PluginCommandSet.FindConfigRoot(["x"]), Is.Null);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = await new GordonCli(output, error, TimeProvider.System, _ => null).RunAsync(args);
        return (code, output.ToString(), error.ToString());
    }
}
