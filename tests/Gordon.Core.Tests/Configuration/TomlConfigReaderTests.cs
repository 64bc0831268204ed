using Gordon.Abstractions.Configuration;
using Gordon.Core.Configuration;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Configuration;

public sealed class TomlConfigReaderTests
{
    [Test]
    public void Read_ConvertsEveryTomlType()
    {
        var table = ConfigToml.Parse("""
            s = "text"
            i = 42
            f = 1.5
            b = true
            odt = 1979-05-27T07:32:00-07:00
            ldt = 1979-05-27T07:32:00
            ld = 1979-05-27
            lt = 07:32:00
            a = [1, "two"]
            t = { x = 1 }
            """);

        Assert.That(table["s"].Value, Is.EqualTo("text"));
        Assert.That(table["i"].Value, Is.EqualTo(42L));
        Assert.That(table["f"].Value, Is.EqualTo(1.5d));
        Assert.That(table["b"].Value, Is.EqualTo(true));
        Assert.That(table["odt"].Value, Is.EqualTo(new DateTimeOffset(1979, 5, 27, 7, 32, 0, TimeSpan.FromHours(-7))));
        Assert.That(table["ldt"].Value, Is.EqualTo(new DateTimeOffset(1979, 5, 27, 7, 32, 0, TimeSpan.Zero)));
        Assert.That(table["ld"].Value, Is.EqualTo(new DateTimeOffset(1979, 5, 27, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(table["lt"].Value, Is.EqualTo(new DateTimeOffset(1, 1, 1, 7, 32, 0, TimeSpan.Zero)));
        Assert.That(ConfigToml.Plain(table["a"].Value), Is.EqualTo(new List<object> { 1L, "two" }));
        Assert.That(table["t"].Value, Is.InstanceOf<ConfigTable>());
    }

    [Test]
    public void Read_GivesEveryValueItsKeyLocation()
    {
        var table = ConfigToml.Parse("top = 1\n\n[core]\n  plugins = [\"a\",\n    \"b\"]\n", "/etc/gordon/gordon.toml");

        Assert.That(table["top"].Location, Is.EqualTo(new ConfigLocation("/etc/gordon/gordon.toml", 1, 1)));
        var core = (ConfigTable)table["core"].Value;
        Assert.That(table["core"].Location, Is.EqualTo(new ConfigLocation("/etc/gordon/gordon.toml", 3, 2)));
        Assert.That(core["plugins"].Location, Is.EqualTo(new ConfigLocation("/etc/gordon/gordon.toml", 4, 3)));
        var plugins = (ConfigArray)core["plugins"].Value;
        Assert.That(plugins[1].Location, Is.EqualTo(new ConfigLocation("/etc/gordon/gordon.toml", 5, 5)));
    }

    [Test]
    public void Read_HeadersDottedKeysAndInlineTables_NestWithFullPaths()
    {
        var table = ConfigToml.Parse("""
            [xyz.child]
            k = 1
            inline = { a = { b = true } }
            [xyz]
            dotted.key = "v"
            """);

        var xyz = table.FindTable("xyz")!;
        Assert.That(xyz.Path, Is.EqualTo("xyz"));
        Assert.That(xyz.Keys, Is.EqualTo(new[] { "child", "dotted" }));
        Assert.That(table.FindTable("xyz.child.inline.a")!.Path, Is.EqualTo("xyz.child.inline.a"));
        Assert.That(table.FindTable("xyz.dotted")!["key"].Value, Is.EqualTo("v"));
    }

    [Test]
    public void Read_ArrayOfTables_KeepsEachElementAndItsSubTables()
    {
        var table = ConfigToml.Parse("""
            [[jobs]]
            id = "one"
            [jobs.params]
            p = 2
            [[jobs]]
            id = "two"
            """);

        var jobs = (ConfigArray)table["jobs"].Value;
        Assert.That(jobs, Has.Count.EqualTo(2));
        var first = (ConfigTable)jobs[0].Value;
        var second = (ConfigTable)jobs[1].Value;
        Assert.That(first.Path, Is.EqualTo("jobs[0]"));
        Assert.That(first.FindTable("params")!["p"].Value, Is.EqualTo(2L));
        Assert.That(second["id"].Value, Is.EqualTo("two"));
        Assert.That(jobs[1].Location?.Line, Is.EqualTo(6));
    }

    [Test]
    public void Read_EmptyText_GivesEmptyTable()
    {
        Assert.That(ConfigToml.Parse(string.Empty), Is.Empty);
    }

    [Test]
    public void Read_SyntaxError_IsConfigExceptionWithFileLineColumn()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigToml.Parse("a = 1\nb = \n", "gordon-user.toml"));

        Assert.That(error!.Problems, Has.Count.EqualTo(1));
        Assert.That(error.Problems[0].Location, Is.EqualTo(new ConfigLocation("gordon-user.toml", 2, 5)));
        Assert.That(error.Problems[0].ToString(), Does.StartWith("gordon-user.toml:2:5: invalid TOML: "));
    }

    [Test]
    public void Read_DuplicateKey_IsReportedAtTheSecondDefinition()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigToml.Parse("[x]\nq = 1\n[x]\nr = 2\n", "f.toml"));

        Assert.That(error!.Problems[0].Location, Is.EqualTo(new ConfigLocation("f.toml", 3, 1)));
        Assert.That(error.Problems[0].Message, Does.Contain("`x`").And.Contain("already defined"));
    }

    [Test]
    public void Read_SeveralErrors_AreAllReported()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigToml.Parse("a = \nb = \"open\nc = 1\n", "f.toml"));

        Assert.That(error!.Problems, Has.Count.GreaterThanOrEqualTo(2));
        Assert.That(error.Problems.Select(p => p.Location?.Line), Does.Contain(1).And.Contain(2));
    }

    [Test]
    public void Read_IntegerOutOfRange_IsAnError()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigToml.Parse("n = 9223372036854775808\n", "f.toml"));

        Assert.That(error!.Problems[0].ToString(), Does.StartWith("f.toml:1:5: ").And.Contain("9223372036854775808"));
    }
}
