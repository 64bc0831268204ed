using Gordon.Core.Plugins;
using Gordon.Core.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Core.Tests.Plugins;

[Category("Plugins")]
public sealed class PluginTableFormatterTests
{
    [Test]
    public void Format_LoadedAndFailed_OneAlignedLinePerPluginUnderAHeader()
    {
        using var dir = new PluginTestDirectory();
        var good = dir.AddFolder("GoodPlugin");
        var corrupt = dir.AddCorruptDll("Broken.dll");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);

        var lines = PluginTableFormatter.Format(catalog).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[0], Does.Match(@"^NAME +KIND +PHASE +VERSION +STATUS +PATH$"));
        Assert.That(lines[1], Does.Match(@"^good +runnable\+handler +enrich +0\.1\.0 +loaded +" + Regex(good) + "$"));
        Assert.That(lines[2], Does.Match(@"^\? +- +- +- +failed: not a readable \.NET assembly.* +" + Regex(corrupt) + "$"));
        Assert.That(lines[1].IndexOf("runnable+handler", StringComparison.Ordinal), Is.EqualTo(lines[0].IndexOf("KIND", StringComparison.Ordinal)));
        Assert.That(lines[2].IndexOf("failed:", StringComparison.Ordinal), Is.EqualTo(lines[0].IndexOf("STATUS", StringComparison.Ordinal)));
    }

    [Test]
    public void Format_Duplicate_ShowsFailedWithTheOtherPath()
    {
        using var dir = new PluginTestDirectory();
        var first = dir.AddFolder("GoodPlugin", "a");
        var second = dir.AddFolder("GoodPlugin", "b");
        using var catalog = PluginCatalog.Discover([dir.PathOf("a"), dir.PathOf("b")], NullLogger.Instance);

        var rows = PluginTableFormatter.Rows(catalog);

        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0][4], Is.EqualTo("failed: name also provided by " + second));
        Assert.That(rows[1][4], Is.EqualTo("failed: name also provided by " + first));
    }

    [Test]
    public void Format_FailureWithPluginName_ShowsTheName()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("MisfitPlugins");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);

        var rows = PluginTableFormatter.Rows(catalog);

        Assert.That(rows.Select(r => (r[0], r[1], r[4] == "loaded")), Is.EquivalentTo(new[]
        {
            ("throwing", "handler", true),
            ("nophase", "handler", true),
            ("noctor", "-", false),
            ("neither", "-", false),
        }));
    }

    // PluginKind is internal, so the cases pass its numeric value (a public test method cannot take an internal type).
    [TestCase(1, "runnable")]
    [TestCase(2, "handler")]
    [TestCase(3, "runnable+handler")]
    [TestCase(4, "commands")]
    [TestCase(6, "handler+commands")]
    [TestCase(0, "-")]
    public void KindText_EachKind_IsSpelledForTheTable(int kind, string expected) =>
        Assert.That(PluginTableFormatter.KindText((PluginKind)kind), Is.EqualTo(expected));

    private static string Regex(string literal) => System.Text.RegularExpressions.Regex.Escape(literal);
}
