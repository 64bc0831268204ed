using Gordon.Abstractions.Configuration;
using Gordon.Core.Configuration;
using Gordon.Core.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Gordon.Core.Tests.Configuration;

public sealed class CoreSettingsReaderTests
{
    private const string Root = "/srv/gordon";

    private static (CoreSettings Settings, ConfigSection Section) Read(string toml)
    {
        var table = ConfigToml.Parse(toml, "gordon-user.toml");
        var section = new ConfigSection(table.FindTable("core") ?? new ConfigTable("core", []));
        return (CoreSettingsReader.Read(section, Root), section);
    }

    private static string SingleError(string toml)
    {
        var (_, section) = Read(toml);
        Assert.That(section.Problems, Has.Count.EqualTo(1), string.Join("\n", section.Problems));
        return section.Problems[0].ToString();
    }

    [Test]
    public void Read_NoKeys_GivesDefaults()
    {
        var (settings, section) = Read(string.Empty);

        Assert.That(section.Problems, Is.Empty);
        Assert.That(settings.Plugins, Is.Empty);
        Assert.That(settings.PluginDirs, Is.EqualTo(new[] { "/srv/gordon/plugins" }));
        Assert.That(settings.StateDir, Is.EqualTo("/srv/gordon/state"));
        Assert.That(settings.Debug, Is.False);
        Assert.That(settings.Strict, Is.False);
        Assert.That(settings.RestartRunnables, Is.True);
        Assert.That(settings.Route, Is.EqualTo(new Dictionary<string, string> { ["consume"] = "enrich", ["enrich"] = "publish", ["publish"] = "done" }));
        Assert.That(settings.Http, Is.EqualTo(new HttpSettings("127.0.0.1:8080", string.Empty)));
        Assert.That(settings.Logging.Level, Is.EqualTo(LogLevel.Information));
        Assert.That(settings.Logging.Format, Is.EqualTo(LogFormat.Auto));
        Assert.That(settings.Logging.Levels, Is.Empty);
        Assert.That(settings.Router.Path, Is.EqualTo("core.router"));
    }

    [Test]
    public void Read_ShippedGordonToml_EqualsCodeDefaults()
    {
        var shipped = FindShippedDefaults();
        var table = ConfigToml.Parse(File.ReadAllText(shipped), shipped);
        var fromFile = CoreSettingsReader.Read(new ConfigSection(table.FindTable("core")!), Root);
        var (fromCode, _) = Read(string.Empty);

        Assert.That(fromFile.Plugins, Is.EqualTo(fromCode.Plugins));
        Assert.That(fromFile.PluginDirs, Is.EqualTo(fromCode.PluginDirs));
        Assert.That(fromFile.StateDir, Is.EqualTo(fromCode.StateDir));
        Assert.That((fromFile.Debug, fromFile.Strict, fromFile.RestartRunnables), Is.EqualTo((fromCode.Debug, fromCode.Strict, fromCode.RestartRunnables)));
        Assert.That(fromFile.Route, Is.EqualTo(fromCode.Route));
        Assert.That(fromFile.Http, Is.EqualTo(fromCode.Http));
        Assert.That((fromFile.Logging.Level, fromFile.Logging.Format), Is.EqualTo((fromCode.Logging.Level, fromCode.Logging.Format)));
    }

    [Test]
    public void Read_AllKeys()
    {
        var (settings, section) = Read("""
            [core]
            plugins = ["burrow", "collectors.insights"]
            plugin_dirs = ["plugins", "/opt/gordon/plugins"]
            state_dir = "/var/lib/gordon"
            debug = true
            strict = true
            restart_runnables = false
            [core.route]
            consume = "publish"
            publish = "done"
            [core.http]
            listen = "[::1]:9000"
            auth_token = "t"
            [core.logging]
            level = "warn"
            format = "JSON"
            [core.logging.levels]
            burrow = "debug"
            "Microsoft.AspNetCore" = "error"
            """);

        Assert.That(section.Problems, Is.Empty);
        Assert.That(settings.Plugins, Is.EqualTo(new[] { "burrow", "collectors.insights" }));
        Assert.That(settings.PluginDirs, Is.EqualTo(new[] { "/srv/gordon/plugins", "/opt/gordon/plugins" }));
        Assert.That(settings.StateDir, Is.EqualTo("/var/lib/gordon"));
        Assert.That((settings.Debug, settings.Strict, settings.RestartRunnables), Is.EqualTo((true, true, false)));
        Assert.That(settings.Route.Keys, Is.EqualTo(new[] { "consume", "publish" }));
        Assert.That(settings.Route["consume"], Is.EqualTo("publish"));
        Assert.That(settings.Http, Is.EqualTo(new HttpSettings("[::1]:9000", "t")));
        Assert.That(settings.Logging.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(settings.Logging.Format, Is.EqualTo(LogFormat.Json));
        Assert.That(settings.Logging.Levels, Is.EqualTo(new Dictionary<string, LogLevel> { ["burrow"] = LogLevel.Debug, ["Microsoft.AspNetCore"] = LogLevel.Error }));
        Assert.That(section.FindUnknownKeys(), Is.Empty);
    }

    [TestCase("plugins = \"burrow\"", "gordon-user.toml:2:1: key 'core.plugins': expected an array of strings, got string \"burrow\"")]
    [TestCase("plugins = [\"a\", 1]", "gordon-user.toml:2:17: key 'core.plugins[1]': expected a string, got integer 1")]
    [TestCase("plugins = [\"a..b\"]", "gordon-user.toml:2:1: key 'core.plugins': \"a..b\" is not a plugin name (dot-separated parts of letters, digits, '_' or '-')")]
    [TestCase("plugins = [\"a\", \"a\"]", "gordon-user.toml:2:1: key 'core.plugins': plugin \"a\" is listed more than once")]
    [TestCase("plugin_dirs = [\"\"]", "gordon-user.toml:2:1: key 'core.plugin_dirs': expected folder paths, got an empty string")]
    [TestCase("plugin_dirs = \"plugins\"", "gordon-user.toml:2:1: key 'core.plugin_dirs': expected an array of strings, got string \"plugins\"")]
    [TestCase("state_dir = \"\"", "gordon-user.toml:2:1: key 'core.state_dir': expected a folder path, got an empty string")]
    [TestCase("state_dir = 5", "gordon-user.toml:2:1: key 'core.state_dir': expected a string, got integer 5")]
    [TestCase("debug = \"yes\"", "gordon-user.toml:2:1: key 'core.debug': expected true or false, got string \"yes\"")]
    [TestCase("strict = 1", "gordon-user.toml:2:1: key 'core.strict': expected true or false, got integer 1")]
    [TestCase("restart_runnables = \"no\"", "gordon-user.toml:2:1: key 'core.restart_runnables': expected true or false, got string \"no\"")]
    [TestCase("route = 1", "gordon-user.toml:2:1: key 'core.route': expected a table, got integer 1")]
    [TestCase("[core.route]\nconsume = 1", "gordon-user.toml:3:1: key 'core.route.consume': expected a string, got integer 1")]
    [TestCase("[core.route]\nconsume = \"\"", "gordon-user.toml:3:1: key 'core.route.consume': expected the name of the next phase (e.g. \"publish\" or \"done\"), got an empty string")]
    [TestCase("[core.http]\nlisten = \"8080\"", "gordon-user.toml:3:1: key 'core.http.listen': expected host:port such as \"127.0.0.1:8080\" or \"[::1]:8080\", got \"8080\"")]
    [TestCase("[core.http]\nlisten = \"127.0.0.1:99999\"", "gordon-user.toml:3:1: key 'core.http.listen': expected host:port such as \"127.0.0.1:8080\" or \"[::1]:8080\", got \"127.0.0.1:99999\"")]
    [TestCase("[core.http]\nlisten = \"gordon.example:80\"", "gordon-user.toml:3:1: key 'core.http.listen': expected an IP address, \"localhost\" or \"*\" before the port, got \"gordon.example\"")]
    [TestCase("[core.http]\nlisten = \"https://127.0.0.1:8443\"", "gordon-user.toml:3:1: key 'core.http.listen': an https:// address needs core.http.tls_certificate (a PEM file)")]
    [TestCase("[core.http]\ntls_certificate = \"/nonexistent/cert.pem\"", "gordon-user.toml:3:1: key 'core.http.tls_certificate': file /nonexistent/cert.pem does not exist")]
    [TestCase("[core.http]\nlisten = 8080", "gordon-user.toml:3:1: key 'core.http.listen': expected a string, got integer 8080")]
    [TestCase("[core.http]\nauth_token = 12345", "gordon-user.toml:3:1: key 'core.http.auth_token': expected a string, got integer ***")]
    [TestCase("[core.logging]\nlevel = \"loud\"", "gordon-user.toml:3:1: key 'core.logging.level': expected one of \"trace\", \"debug\", \"information\", \"warning\", \"error\", \"critical\" or \"none\", got string \"loud\"")]
    [TestCase("[core.logging]\nlevel = 3", "gordon-user.toml:3:1: key 'core.logging.level': expected a string, got integer 3")]
    [TestCase("[core.logging]\nformat = \"xml\"", "gordon-user.toml:3:1: key 'core.logging.format': expected one of \"auto\", \"console\", \"journald\", \"json\", got string \"xml\"")]
    [TestCase("[core.logging.levels]\nburrow = \"chatty\"", "gordon-user.toml:3:1: key 'core.logging.levels.burrow': expected one of \"trace\", \"debug\", \"information\", \"warning\", \"error\", \"critical\" or \"none\", got string \"chatty\"")]
    [TestCase("[core.logging.levels]\nburrow = true", "gordon-user.toml:3:1: key 'core.logging.levels.burrow': expected a string, got boolean true")]
    [TestCase("http = \"x\"", "gordon-user.toml:2:1: key 'core.http': expected a table, got string \"x\"")]
    public void Read_InvalidValue_IsOneProblemWithLocation(string body, string expected)
    {
        // A body that opens its own table starts on line 2, as a plain key does under "[core]".
        var toml = body.StartsWith('[') ? "\n" + body : "[core]\n" + body;

        Assert.That(SingleError(toml), Is.EqualTo(expected));
    }

    [Test]
    public void Read_InvalidValues_FallBackToDefaultsAndAreAllReported()
    {
        var (settings, section) = Read("[core]\ndebug = 1\nstate_dir = 2\n[core.logging]\nlevel = \"x\"\nformat = \"y\"\n");

        Assert.That(section.Problems, Has.Count.EqualTo(4));
        Assert.That(settings.Debug, Is.False);
        Assert.That(settings.StateDir, Is.EqualTo("/srv/gordon/state"));
        Assert.That(settings.Logging.Level, Is.EqualTo(LogLevel.Information));
    }

    [TestCase("info", LogLevel.Information)]
    [TestCase("WARNING", LogLevel.Warning)]
    [TestCase("fatal", LogLevel.Critical)]
    [TestCase("off", LogLevel.None)]
    [TestCase("Trace", LogLevel.Trace)]
    public void Read_LogLevelNamesAndAliases(string text, LogLevel expected)
    {
        var (settings, section) = Read($"[core.logging]\nlevel = \"{text}\"\n");

        Assert.That(section.Problems, Is.Empty);
        Assert.That(settings.Logging.Level, Is.EqualTo(expected));
    }

    [TestCase("0.0.0.0:80")]
    [TestCase("*:8080")]
    [TestCase("localhost:0")]
    [TestCase("http://0.0.0.0:8080")]
    [TestCase("[::1]:9000")]
    public void Read_ListenAddresses_Accepted(string listen)
    {
        var (settings, section) = Read($"[core.http]\nlisten = \"{listen}\"\n");

        Assert.That(section.Problems, Is.Empty);
        Assert.That(settings.Http.Listen, Is.EqualTo(listen));
    }

    [Test]
    public void Read_RouterIsHandedOnUnread_SoItsKeysAreUnknownUntilRead()
    {
        var (settings, section) = Read("[core.router]\ncapacity = 10\n\n[core]\ntypo = 1\n");

        var unknown = section.FindUnknownKeys().Select(p => p.ToString()).ToList();
        Assert.That(unknown, Is.EquivalentTo(new[]
        {
            "gordon-user.toml:2:1: key 'core.router.capacity': unknown key (not used by anything; a typo?)",
            "gordon-user.toml:5:1: key 'core.typo': unknown key (not used by anything; a typo?)",
        }));

        Assert.That(settings.Router.GetInt32("capacity", 1), Is.EqualTo(10));
        Assert.That(section.FindUnknownKeys().Select(p => p.KeyPath), Is.EqualTo(new[] { "core.typo" }));
    }

    [Test]
    public void Read_RouteKeysAreNeverUnknown()
    {
        var (_, section) = Read("[core.route]\nmy_phase = \"done\"\n[core.logging.levels]\nanything = \"debug\"\n");

        Assert.That(section.FindUnknownKeys(), Is.Empty);
    }

    [Test]
    public void HttpSettings_ToString_HidesTheToken()
    {
        Assert.That(new HttpSettings("a:1", "s3cret").ToString(), Does.Not.Contain("s3cret"));
    }

    private static string FindShippedDefaults()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "gordon.toml");
            if (File.Exists(candidate) && Directory.Exists(Path.Combine(dir.FullName, "Gordon.Core")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("The shipped gordon.toml was not found above the test directory.");
    }
}
