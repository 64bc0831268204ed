using Gordon.Abstractions.Configuration;
using Gordon.Core.Configuration;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Configuration;

public sealed class ConfigMergerTests
{
    // Gordon's eight deep-merge cases (test_main.py), in TOML. TOML has no None, so Gordon's
    // {a:None} cases become "a value of another type", which replaces whatever was there.
    private static readonly object[] GordonCases =
    [
        new object[] { "a = 1", "b = 2", "a = 1\nb = 2" },
        new object[] { "a = 1", "a = 2", "a = 2" },
        new object[] { "[a]\na1 = 1", "[a]\na2 = 2", "[a]\na1 = 1\na2 = 2" },
        new object[] { "[a]\na1 = 1", "[a]\na1 = 2", "[a]\na1 = 2" },
        new object[] { "", "[a]\na1 = 1", "[a]\na1 = 1" },
        new object[] { "a = \"none\"", "[a]\na1 = 1", "[a]\na1 = 1" },
        new object[] { "[a]\na1 = 1", "a = \"none\"", "a = \"none\"" },
        new object[] { "[a]\na1 = 1", "[a]", "[a]\na1 = 1" },
    ];

    [TestCaseSource(nameof(GordonCases))]
    public void Merge_GordonCases(string defaults, string user, string expected)
    {
        var merged = ConfigMerger.Merge(ConfigToml.Parse(defaults), ConfigToml.Parse(user));

        Assert.That(ConfigToml.Plain(merged), Is.EqualTo(ConfigToml.Plain(ConfigToml.Parse(expected))));
    }

    [Test]
    public void Merge_NestedTables_MergeKeyByKeyAtEveryDepth()
    {
        var merged = ConfigMerger.Merge(
            ConfigToml.Parse("[core.logging]\nlevel = \"information\"\nformat = \"auto\"\n[core.logging.levels]\nburrow = \"debug\"\n"),
            ConfigToml.Parse("[core.logging]\nlevel = \"error\"\n[core.logging.levels]\nstorage = \"trace\"\n"));

        Assert.That(merged.FindTable("core.logging")!["level"].Value, Is.EqualTo("error"));
        Assert.That(merged.FindTable("core.logging")!["format"].Value, Is.EqualTo("auto"));
        Assert.That(merged.FindTable("core.logging.levels")!.Keys, Is.EqualTo(new[] { "burrow", "storage" }));
    }

    [Test]
    public void Merge_UserArrayReplacesDefaultArray()
    {
        var merged = ConfigMerger.Merge(ConfigToml.Parse("plugins = [\"a\", \"b\"]"), ConfigToml.Parse("plugins = [\"c\"]"));

        Assert.That(ConfigToml.Plain(merged["plugins"].Value), Is.EqualTo(new List<object> { "c" }));
    }

    [Test]
    public void Merge_UserArrayOfTablesReplacesDefaultArrayOfTables()
    {
        var merged = ConfigMerger.Merge(
            ConfigToml.Parse("[[jobs]]\nid = \"a\"\n[[jobs]]\nid = \"b\"\n"),
            ConfigToml.Parse("[[jobs]]\nid = \"c\"\n"));

        Assert.That(((ConfigArray)merged["jobs"].Value).Count, Is.EqualTo(1));
    }

    [TestCase("x = 1", "x = \"one\"", "string")]
    [TestCase("x = \"one\"", "x = [1]", "array")]
    [TestCase("x = [1]", "[x]\ny = 1", "table")]
    [TestCase("[x]\ny = 1", "x = 1.5", "float")]
    public void Merge_UserValueOfAnotherTypeReplaces(string defaults, string user, string typeName)
    {
        var merged = ConfigMerger.Merge(ConfigToml.Parse(defaults), ConfigToml.Parse(user));

        Assert.That(merged["x"].TypeName, Is.EqualTo(typeName));
    }

    [Test]
    public void Merge_KeepsTheLocationOfTheWinningValue()
    {
        var merged = ConfigMerger.Merge(
            ConfigToml.Parse("[core]\ndebug = false\nstrict = false\n", "gordon.toml"),
            ConfigToml.Parse("\n[core]\n\ndebug = true\n", "gordon-user.toml"));

        var core = merged.FindTable("core")!;
        Assert.That(core["debug"].Location, Is.EqualTo(new ConfigLocation("gordon-user.toml", 4, 1)));
        Assert.That(core["strict"].Location, Is.EqualTo(new ConfigLocation("gordon.toml", 3, 1)));
    }

    [Test]
    public void Merge_KeepsDefaultOrderThenNewKeys()
    {
        var merged = ConfigMerger.Merge(ConfigToml.Parse("b = 1\na = 1"), ConfigToml.Parse("c = 1\na = 2"));

        Assert.That(merged.Keys, Is.EqualTo(new[] { "b", "a", "c" }));
    }
}
