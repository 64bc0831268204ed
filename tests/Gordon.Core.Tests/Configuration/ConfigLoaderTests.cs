using Gordon.Abstractions.Configuration;
using Gordon.Core.Configuration;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private ConfigTempRoot _root = null!;

    [SetUp]
    public void SetUp() => _root = new ConfigTempRoot();

    [TearDown]
    public void TearDown() => _root.Dispose();

    private static ConfigLoader Loader(Dictionary<string, string>? environment = null) =>
        new(name => environment?.GetValueOrDefault(name));

    [Test]
    public void Load_DefaultsFileAlone_Works()
    {
        _root.WithDefaults("[core]\nplugins = [\"burrow\"]\n");

        var config = Loader().Load(_root.Path);

        Assert.That(config.Core.Plugins, Is.EqualTo(new[] { "burrow" }));
        Assert.That(config.Files, Is.EqualTo(new[] { _root.Defaults }));
    }

    [Test]
    public void Load_UserFileAlone_Works()
    {
        _root.WithUser("[core]\nplugins = [\"storage\"]\n");

        var config = Loader().Load(_root.Path);

        Assert.That(config.Core.Plugins, Is.EqualTo(new[] { "storage" }));
        Assert.That(config.Files, Is.EqualTo(new[] { _root.User }));
    }

    [Test]
    public void Load_NeitherFile_IsAnError()
    {
        var error = Assert.Throws<ConfigException>(() => Loader().Load(_root.Path));

        Assert.That(
            error!.Message,
            Is.EqualTo($"Cannot load Gordon configuration from '{_root.Path}': neither gordon.toml nor gordon-user.toml exists"));
    }

    [Test]
    public void Load_MissingRoot_IsAClearError()
    {
        var missing = Path.Combine(_root.Path, "nope");

        var error = Assert.Throws<ConfigException>(() => Loader().Load(missing));

        Assert.That(error!.Message, Is.EqualTo($"Cannot load Gordon configuration from '{missing}': the directory does not exist"));
    }

    [Test]
    public void Load_RootIsAFile_IsAClearError()
    {
        _root.WithDefaults(string.Empty);

        var error = Assert.Throws<ConfigException>(() => Loader().Load(_root.Defaults));

        Assert.That(error!.Message, Does.EndWith("it is a file, not a directory"));
    }

    [Test]
    public void Load_BothFiles_UserDeepMergedOverDefaults()
    {
        _root.WithDefaults("[core.logging]\nlevel = \"information\"\nformat = \"json\"\n[burrow]\nlisten = \"a\"\n")
            .WithUser("[core.logging]\nlevel = \"error\"\n");

        var config = Loader().Load(_root.Path);

        Assert.That(config.Core.Logging.Level, Is.EqualTo(Microsoft.Extensions.Logging.LogLevel.Error));
        Assert.That(config.Core.Logging.Format, Is.EqualTo(LogFormat.Json));
        Assert.That(config.Root.FindTable("burrow")!["listen"].Value, Is.EqualTo("a"));
        Assert.That(config.Files, Is.EqualTo(new[] { _root.Defaults, _root.User }));
        Assert.That(config.ConfigRoot, Is.EqualTo(_root.Path));
    }

    [Test]
    public void Load_SyntaxErrorsInBothFiles_AreAllReportedWithFileLineColumn()
    {
        _root.WithDefaults("a = 1\nb = \n").WithUser("\n\n[core\n");

        var error = Assert.Throws<ConfigException>(() => Loader().Load(_root.Path));

        var lines = error!.Problems.Select(p => p.ToString()).ToList();
        Assert.That(lines, Has.Some.StartWith(_root.Defaults + ":2:5: invalid TOML"));
        Assert.That(lines, Has.Some.StartWith(_root.User + ":3:"));
    }

    [Test]
    public void Load_ExpandsEnvironmentAfterMerging()
    {
        // The default's variable is overridden, so it need not be set.
        _root.WithDefaults("[storage]\nurl = \"${UNSET_DEFAULT}\"\n").WithUser("[storage]\nurl = \"${DB}\"\n");

        var config = Loader(new() { ["DB"] = "sqlite://x" }).Load(_root.Path);

        Assert.That(config.Root.FindTable("storage")!["url"].Value, Is.EqualTo("sqlite://x"));
    }

    [Test]
    public void Load_EnvironmentAndCoreErrors_AreReportedTogether()
    {
        _root.WithUser("[core]\ndebug = \"yes\"\n[storage]\nurl = \"${DB}\"\n");

        var error = Assert.Throws<ConfigException>(() => Loader().Load(_root.Path));

        Assert.That(error!.Problems.Select(p => p.KeyPath), Is.EquivalentTo(new[] { "storage.url", "core.debug" }));
        Assert.That(error.Message, Does.Contain("environment variable 'DB' is not set"));
    }

    [Test]
    public void Load_CoreNotATable_IsAnError()
    {
        _root.WithUser("core = 1\n");

        var error = Assert.Throws<ConfigException>(() => Loader().Load(_root.Path));

        Assert.That(error!.Problems.Single().ToString(), Is.EqualTo($"{_root.User}:1:1: key 'core': expected a table, got integer"));
    }

    [Test]
    public void Load_RelativeRoot_IsMadeAbsolute()
    {
        _root.WithDefaults(string.Empty);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _root.Path);

        var config = Loader().Load(relative);

        Assert.That(config.ConfigRoot, Is.EqualTo(_root.Path));
        Assert.That(Path.IsPathFullyQualified(config.ConfigRoot), Is.True);
    }

    [Test]
    public void Load_DefaultEnvironment_IsTheProcessEnvironment()
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        Assume.That(path, Is.Not.Null);
        _root.WithDefaults("[x]\np = \"${PATH}\"\n");

        var config = new ConfigLoader().Load(_root.Path);

        Assert.That(config.Root.FindTable("x")!["p"].Value, Is.EqualTo(path));
    }
}
