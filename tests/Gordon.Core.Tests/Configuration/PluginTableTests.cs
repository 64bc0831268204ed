using Gordon.Abstractions.Configuration;
using Gordon.Core.Configuration;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Configuration;

/// <summary>Gordon's plugin-config cases (test_plugins_loader.py), plus its scoping bugs, fixed.</summary>
public sealed class PluginTableTests
{
    // Gordon's fixture (tests/unit/fixtures/test-gordon.toml), restated.
    private const string Xyz = """
        [core]
        plugins = ["xyz.event_consumer", "xyz.enricher", "xyz.publisher"]

        [xyz]
        a_key = "a_value"
        b_key = "b_value"

        [xyz.event_consumer]
        a_key = "another_value"

        [xyz.enricher]
        d_key = "d_value"

        [xyz.publisher]
        c_key = "c_value"
        """;

    private ConfigTempRoot _root = null!;

    [SetUp]
    public void SetUp() => _root = new ConfigTempRoot();

    [TearDown]
    public void TearDown() => _root.Dispose();

    private LoadedConfig Load(string toml) => new ConfigLoader(_ => null).Load(_root.WithDefaults(toml).Path);

    private static Dictionary<string, object> Plain(ConfigTable table) => (Dictionary<string, object>)ConfigToml.Plain(table);

    [Test]
    public void PluginTable_ChildInheritsParentScalars()
    {
        var config = Load(Xyz);

        Assert.That(Plain(config.PluginTable("xyz.enricher")), Is.EqualTo(new Dictionary<string, object>
        {
            ["a_key"] = "a_value", ["b_key"] = "b_value", ["d_key"] = "d_value",
        }));
        Assert.That(Plain(config.PluginTable("xyz.publisher")), Is.EqualTo(new Dictionary<string, object>
        {
            ["a_key"] = "a_value", ["b_key"] = "b_value", ["c_key"] = "c_value",
        }));
    }

    [Test]
    public void PluginTable_ChildWins()
    {
        var config = Load(Xyz);

        Assert.That(Plain(config.PluginTable("xyz.event_consumer")), Is.EqualTo(new Dictionary<string, object>
        {
            ["a_key"] = "another_value", ["b_key"] = "b_value",
        }));
    }

    [Test]
    public void PluginTable_ParentNeverSeesChildOrSiblingTables()
    {
        var config = Load(Xyz);

        Assert.That(config.PluginTable("xyz").Keys, Is.EqualTo(new[] { "a_key", "b_key" }));
        Assert.That(config.PluginTable("xyz.enricher").Keys, Has.No.Member("event_consumer").And.No.Member("publisher"));
    }

    [Test]
    public void PluginTable_InactiveSiblingsDoNotLeak()
    {
        // Gordon bug: with only xyz.enricher active, its config held event_consumer and publisher.
        var config = Load(Xyz.Replace("\"xyz.event_consumer\", \"xyz.enricher\", \"xyz.publisher\"", "\"xyz.enricher\"", StringComparison.Ordinal));

        Assert.That(config.PluginTable("xyz.enricher").Keys, Is.EquivalentTo(new[] { "a_key", "b_key", "d_key" }));
    }

    [Test]
    public void PluginTable_ThreeLevels_EachChildWinsAndOwnSubTablesStay()
    {
        var config = Load("""
            [a]
            x = 1
            y = 1
            [a.sub]
            q = 1
            [a.b]
            y = 2
            z = 2
            [a.b.c]
            z = 3
            [a.b.c.sub]
            r = 3
            """);

        var table = config.PluginTable("a.b.c");
        Assert.That(table["x"].Value, Is.EqualTo(1L));
        Assert.That(table["y"].Value, Is.EqualTo(2L));
        Assert.That(table["z"].Value, Is.EqualTo(3L));
        Assert.That(Plain(table.FindTable("sub")!), Is.EqualTo(new Dictionary<string, object> { ["r"] = 3L }));
    }

    [Test]
    public void PluginTable_DotBoundary_GcpAndGcpxNeverMix()
    {
        // Gordon bug: with plugins gcp.a and gcpx.b, keys x and b of [gcp] disappeared.
        var config = Load("""
            [core]
            plugins = ["gcp", "gcp.a", "gcpx.b"]
            [gcp]
            x = 1
            b = 2
            [gcp.a]
            own = true
            [gcpx]
            other = "x"
            [gcpx.b]
            mine = 1
            """);

        Assert.That(config.PluginTable("gcp.a").Keys, Is.EquivalentTo(new[] { "x", "b", "own" }));
        Assert.That(config.PluginTable("gcpx.b").Keys, Is.EquivalentTo(new[] { "other", "mine" }));
        Assert.That(config.PluginTable("gcp").Keys, Is.EquivalentTo(new[] { "x", "b" }));
    }

    [Test]
    public void PluginTable_NoLstripStyleStripping()
    {
        // Gordon bug: with plugins gcp.gce and gcp.gce.cache, gcp.gce kept "cache" and lost its own key "ache".
        var config = Load("""
            [core]
            plugins = ["gcp.gce", "gcp.gce.cache"]
            [gcp.gce]
            ache = "mine"
            [gcp.gce.cache]
            size = 1
            """);

        Assert.That(config.PluginTable("gcp.gce").Keys, Is.EqualTo(new[] { "ache" }));
        Assert.That(config.PluginTable("gcp.gce")["ache"].Value, Is.EqualTo("mine"));
        Assert.That(config.PluginTable("gcp.gce.cache").Keys, Is.EquivalentTo(new[] { "ache", "size" }));
    }

    [Test]
    public void PluginTable_OwnSubTableOfAnActivePluginIsHidden_OtherSubTablesStay()
    {
        var config = Load("""
            [core]
            plugins = ["collectors", "collectors.insights"]
            [collectors]
            interval = "1m"
            [collectors.insights]
            url = "x"
            [collectors.tls]
            verify = true
            """);

        Assert.That(config.PluginTable("collectors").Keys, Is.EqualTo(new[] { "interval", "tls" }));
    }

    [Test]
    public void PluginTable_MissingTable_IsEmpty()
    {
        var config = Load("[core]\n");

        Assert.That(config.PluginTable("introspection"), Is.Empty);
        Assert.That(config.PluginTable("gcp.x.y"), Is.Empty);
    }

    [Test]
    public void PluginTable_MissingOwnTable_StillInheritsParents()
    {
        var config = Load(Xyz);

        Assert.That(config.PluginTable("xyz.not_configured").Keys, Is.EqualTo(new[] { "a_key", "b_key" }));
    }

    [Test]
    public void PluginTable_PathIsPluginName_AndLocationsAreKept()
    {
        var config = Load(Xyz);

        var table = config.PluginTable("xyz.enricher");
        Assert.That(table.Path, Is.EqualTo("xyz.enricher"));
        Assert.That(table["a_key"].Location, Is.EqualTo(new ConfigLocation(_root.Defaults, 5, 1)));
        Assert.That(table["d_key"].Location, Is.EqualTo(new ConfigLocation(_root.Defaults, 12, 1)));
    }

    [Test]
    public void PluginTable_ParentArraysAreInherited()
    {
        var config = Load("[col]\nintervals = [\"1m\"]\n[col.job]\nid = 1\n");

        Assert.That(config.PluginTable("col.job").Keys, Is.EquivalentTo(new[] { "intervals", "id" }));
    }

    [Test]
    public void PluginTable_ValueWhereATableShouldBe_IsAConfigError()
    {
        var config = Load("[gcp]\na = 1\n");

        var error = Assert.Throws<ConfigException>(() => config.PluginTable("gcp.a"));

        Assert.That(error!.Problems.Single().ToString(), Is.EqualTo($"{_root.Defaults}:2:1: key 'gcp.a': expected a table (plugin settings), got integer"));
    }

    [TestCase("")]
    [TestCase("a..b")]
    [TestCase(".a")]
    public void PluginTable_EmptyNamePart_IsRejected(string name)
    {
        var config = Load(Xyz);

        Assert.That(() => config.PluginTable(name), Throws.ArgumentException);
    }
}
