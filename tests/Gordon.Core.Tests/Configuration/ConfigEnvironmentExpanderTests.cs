using Gordon.Abstractions.Configuration;
using Gordon.Core.Configuration;
using Gordon.Core.Tests.Support;

namespace Gordon.Core.Tests.Configuration;

public sealed class ConfigEnvironmentExpanderTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["TOKEN"] = "s3cret",
        ["HOST"] = "db.local",
        ["EMPTY"] = string.Empty,
    };

    private static (ConfigTable Table, List<ConfigProblem> Problems) Expand(string toml)
    {
        var problems = new List<ConfigProblem>();
        var expander = new ConfigEnvironmentExpander(name => Environment.GetValueOrDefault(name));
        return (expander.Expand(ConfigToml.Parse(toml, "gordon-user.toml"), problems), problems);
    }

    [TestCase("v = \"${TOKEN}\"", "s3cret")]
    [TestCase("v = \"postgres://${HOST}:5432/${HOST}\"", "postgres://db.local:5432/db.local")]
    [TestCase("v = \"a${EMPTY}b\"", "ab")]
    [TestCase("v = \"$${TOKEN}\"", "${TOKEN}")]
    [TestCase("v = \"price: $5 and $$ and $\"", "price: $5 and $$ and $")]
    [TestCase("v = \"$$${TOKEN}\"", "$${TOKEN}")]
    public void Expand_String(string toml, string expected)
    {
        var (table, problems) = Expand(toml);

        Assert.That(problems, Is.Empty);
        Assert.That(table["v"].Value, Is.EqualTo(expected));
    }

    [Test]
    public void Expand_InsideArraysAndNestedTables()
    {
        var (table, problems) = Expand("[a.b]\nlist = [\"${HOST}\", 1, [\"${TOKEN}\"]]\n[[a.jobs]]\nurl = \"http://${HOST}\"\n");

        Assert.That(problems, Is.Empty);
        Assert.That(ConfigToml.Plain(table.FindTable("a.b")!["list"].Value), Is.EqualTo(new List<object> { "db.local", 1L, new List<object> { "s3cret" } }));
        var job = (ConfigTable)((ConfigArray)table.FindTable("a")!["jobs"].Value)[0].Value;
        Assert.That(job["url"].Value, Is.EqualTo("http://db.local"));
    }

    [Test]
    public void Expand_UnsetVariable_IsAnErrorNamingVariableKeyAndLocation()
    {
        var (_, problems) = Expand("[storage]\n\nurl = \"${DB_URL}\"\n");

        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(
            problems[0].ToString(),
            Is.EqualTo("gordon-user.toml:3:1: key 'storage.url': environment variable 'DB_URL' is not set (referenced as '${DB_URL}')"));
    }

    [Test]
    public void Expand_UnsetVariableInArray_NamesTheElement()
    {
        var (_, problems) = Expand("hosts = [\"a\", \"${NOPE}\"]\n");

        Assert.That(problems.Single().KeyPath, Is.EqualTo("hosts[1]"));
        Assert.That(problems.Single().Location, Is.EqualTo(new ConfigLocation("gordon-user.toml", 1, 15)));
    }

    [Test]
    public void Expand_EveryUnsetVariable_IsReported()
    {
        var (_, problems) = Expand("a = \"${ONE}\"\nb = \"${TWO}\"\n");

        Assert.That(problems.Select(p => p.KeyPath), Is.EqualTo(new[] { "a", "b" }));
    }

    [TestCase("v = \"${UNCLOSED\"", "without a closing")]
    [TestCase("v = \"${1BAD}\"", "not a valid environment variable reference")]
    [TestCase("v = \"${}\"", "not a valid environment variable reference")]
    public void Expand_MalformedReference_IsAnError(string toml, string message)
    {
        var (_, problems) = Expand(toml);

        Assert.That(problems.Single().Message, Does.Contain(message));
    }

    [Test]
    public void Expand_LeavesKeysAndNonStringsAlone()
    {
        var (table, _) = Expand("\"${TOKEN}\" = 5\n");

        Assert.That(table.Keys, Is.EqualTo(new[] { "${TOKEN}" }));
        Assert.That(table["${TOKEN}"].Value, Is.EqualTo(5L));
    }
}
