using Gordon.Abstractions.Configuration;

namespace Gordon.Abstractions.Tests.Configuration;

public sealed class ConfigSectionTests
{
    private static readonly ConfigLocation At = new("gordon-user.toml", 12, 1);

    private static ConfigSection Section(params (string Key, object Value)[] values) =>
        new(new ConfigTable("burrow", values.Select(v => new KeyValuePair<string, ConfigValue>(v.Key, new ConfigValue(v.Value, At)))));

    private static ConfigArray Array(params object[] items) => new(items.Select(i => new ConfigValue(i, At)));

    private static string OnlyProblem(ConfigSection section)
    {
        Assert.That(section.Problems, Has.Count.EqualTo(1));
        return section.Problems[0].ToString();
    }

    public enum Mode
    {
        RoundRobin,
        Parallel,
    }

    [Test]
    public void Getters_MissingKey_GiveDefaultsWithoutProblems()
    {
        var section = Section();

        Assert.That(section.GetString("a", "d"), Is.EqualTo("d"));
        Assert.That(section.GetOptionalString("a"), Is.Null);
        Assert.That(section.GetInt64("a", 7), Is.EqualTo(7));
        Assert.That(section.GetInt32("a", 8), Is.EqualTo(8));
        Assert.That(section.GetDouble("a", 0.5), Is.EqualTo(0.5));
        Assert.That(section.GetBoolean("a", true), Is.True);
        Assert.That(section.GetDuration("a", TimeSpan.FromSeconds(3)), Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(section.GetSize("a", 10), Is.EqualTo(10));
        Assert.That(section.GetUri("a", null), Is.Null);
        Assert.That(section.GetEnum("a", Mode.Parallel), Is.EqualTo(Mode.Parallel));
        Assert.That(section.GetStringList("a", ["x"]), Is.EqualTo(new[] { "x" }));
        Assert.That(section.GetSection("a").Table, Is.Empty);
        Assert.That(section.GetSectionList("b"), Is.Empty);
        Assert.That(section.Problems, Is.Empty);
    }

    [Test]
    public void GetString_Valid_And_Invalid()
    {
        Assert.That(Section(("a", "x")).GetString("a", "d"), Is.EqualTo("x"));
        var bad = Section(("a", 1L));
        Assert.That(bad.GetString("a", "d"), Is.EqualTo("d"));
        Assert.That(OnlyProblem(bad), Is.EqualTo("gordon-user.toml:12:1: key 'burrow.a': expected a string, got integer 1"));
    }

    [Test]
    public void RequireString_MissingOrEmpty_IsAProblem()
    {
        var missing = Section();
        Assert.That(missing.RequireString("url"), Is.Empty);
        Assert.That(OnlyProblem(missing), Is.EqualTo("key 'burrow.url': is required (a string) but is not set"));

        var empty = Section(("url", string.Empty));
        empty.RequireString("url");
        Assert.That(OnlyProblem(empty), Does.Contain("expected a non-empty string"));

        Assert.That(Section(("url", "x")).RequireString("url"), Is.EqualTo("x"));
    }

    [TestCase(5L, 5L)]
    [TestCase(1L, 1L)]
    [TestCase(10L, 10L)]
    public void GetInt64_InRange(long value, long expected)
    {
        var section = Section(("n", value));

        Assert.That(section.GetInt64("n", 0, 1, 10), Is.EqualTo(expected));
        Assert.That(section.Problems, Is.Empty);
    }

    [TestCase(0L, 1L, 10L, "expected an integer from 1 to 10, got integer 0")]
    [TestCase(-1L, 0L, long.MaxValue, "expected an integer of at least 0, got integer -1")]
    [TestCase(11L, long.MinValue, 10L, "expected an integer of at most 10, got integer 11")]
    public void GetInt64_OutOfRange(long value, long min, long max, string message)
    {
        var section = Section(("n", value));

        Assert.That(section.GetInt64("n", 3, min, max), Is.EqualTo(3));
        Assert.That(OnlyProblem(section), Does.EndWith(message));
    }

    [Test]
    public void GetInt64_WrongType()
    {
        var section = Section(("n", 1.5));

        section.GetInt64("n", 0);
        Assert.That(OnlyProblem(section), Does.EndWith("expected an integer, got float 1.5"));
    }

    [Test]
    public void GetInt32_BeyondInt32_IsAProblem()
    {
        var section = Section(("n", 3_000_000_000L));

        Assert.That(section.GetInt32("n", 4), Is.EqualTo(4));
        Assert.That(OnlyProblem(section), Does.EndWith("expected an integer from -2147483648 to 2147483647, got integer 3000000000"));
    }

    [Test]
    public void GetDouble_AcceptsIntegers_RejectsNaNAndRange()
    {
        Assert.That(Section(("x", 2L)).GetDouble("x", 0), Is.EqualTo(2.0));
        Assert.That(Section(("x", 0.25)).GetDouble("x", 0), Is.EqualTo(0.25));

        var nan = Section(("x", double.NaN));
        nan.GetDouble("x", 1);
        Assert.That(OnlyProblem(nan), Does.EndWith("expected a number, got float nan"));

        var low = Section(("x", -1.0));
        low.GetDouble("x", 1, min: 0);
        Assert.That(OnlyProblem(low), Does.EndWith("expected a number of at least 0, got float -1"));

        var text = Section(("x", "1"));
        text.GetDouble("x", 1);
        Assert.That(OnlyProblem(text), Does.EndWith("expected a number, got string \"1\""));
    }

    [Test]
    public void GetBoolean_Valid_And_Invalid()
    {
        Assert.That(Section(("b", false)).GetBoolean("b", true), Is.False);
        var bad = Section(("b", "true"));
        Assert.That(bad.GetBoolean("b", false), Is.False);
        Assert.That(OnlyProblem(bad), Does.EndWith("expected true or false, got string \"true\""));
    }

    [TestCase("250ms", 250)]
    [TestCase("30s", 30_000)]
    [TestCase("5m", 300_000)]
    [TestCase("1h30m", 5_400_000)]
    [TestCase("7d", 604_800_000)]
    [TestCase("1.5s", 1_500)]
    [TestCase(" 2s ", 2_000)]
    public void GetDuration_Text(string text, long milliseconds)
    {
        var section = Section(("d", text));

        Assert.That(section.GetDuration("d", TimeSpan.Zero), Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.That(section.Problems, Is.Empty);
    }

    [Test]
    public void GetDuration_IntegerSeconds()
    {
        Assert.That(Section(("d", 90L)).GetDuration("d", TimeSpan.Zero), Is.EqualTo(TimeSpan.FromSeconds(90)));
    }

    [TestCase("30")]
    [TestCase("5 m")]
    [TestCase("-5s")]
    [TestCase("5x")]
    [TestCase("")]
    [TestCase("1m30")]
    public void GetDuration_InvalidText(string text)
    {
        var section = Section(("d", text));

        Assert.That(section.GetDuration("d", TimeSpan.FromSeconds(1)), Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(OnlyProblem(section), Does.Contain("expected a duration like \"250ms\", \"30s\", \"5m\" or \"1h30m\" (or whole seconds)"));
    }

    [Test]
    public void GetDuration_NegativeIntegerAndRange()
    {
        var negative = Section(("d", -1L));
        negative.GetDuration("d", TimeSpan.Zero);
        Assert.That(negative.Problems, Has.Count.EqualTo(1));

        var range = Section(("d", "2h"));
        range.GetDuration("d", TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.That(OnlyProblem(range), Does.EndWith(" from 1s to 1h, got string \"2h\""));
    }

    [TestCase("1MiB", 1_048_576L)]
    [TestCase("512KiB", 524_288L)]
    [TestCase("10MB", 10_000_000L)]
    [TestCase("1024", 1024L)]
    [TestCase("2gib", 2_147_483_648L)]
    [TestCase("1.5KiB", 1536L)]
    [TestCase("7B", 7L)]
    public void GetSize_Text(string text, long bytes)
    {
        var section = Section(("s", text));

        Assert.That(section.GetSize("s", 0), Is.EqualTo(bytes));
        Assert.That(section.Problems, Is.Empty);
    }

    [Test]
    public void GetSize_IntegerBytes()
    {
        Assert.That(Section(("s", 4096L)).GetSize("s", 0), Is.EqualTo(4096));
    }

    [Test]
    public void GetSize_Invalid_MessageAsDocumented()
    {
        var section = Section(("max_body", "1 GB"));

        Assert.That(section.GetSize("max_body", 5), Is.EqualTo(5));
        Assert.That(
            OnlyProblem(section),
            Is.EqualTo("gordon-user.toml:12:1: key 'burrow.max_body': expected a size like \"1MiB\", \"512KiB\" or \"10MB\", got string \"1 GB\""));
    }

    [TestCase("10M")]
    [TestCase("1.5")]
    [TestCase("-1")]
    [TestCase("MiB")]
    [TestCase("1 MiB")]
    [TestCase("99999999TiB")]
    public void GetSize_InvalidText(string text)
    {
        var section = Section(("s", text));

        section.GetSize("s", 0);
        Assert.That(section.Problems, Has.Count.EqualTo(1));
    }

    [Test]
    public void GetSize_BelowMinimum()
    {
        var section = Section(("s", "1KiB"));

        section.GetSize("s", 0, min: 4096);
        Assert.That(OnlyProblem(section), Does.Contain("of at least 4096 bytes"));
    }

    [Test]
    public void GetUri_AllowedScheme()
    {
        var section = Section(("u", "https://example.com/x"));

        Assert.That(section.GetUri("u", null, "http", "https"), Is.EqualTo(new Uri("https://example.com/x")));
        Assert.That(section.Problems, Is.Empty);
    }

    [TestCase("ftp://example.com", "expected an absolute http or https URL")]
    [TestCase("/var/data", "expected an absolute http or https URL")]
    [TestCase("example.com", "expected an absolute http or https URL")]
    [TestCase("http:foo", "expected an absolute http or https URL")]
    public void GetUri_Invalid(string text, string message)
    {
        var section = Section(("u", text));

        Assert.That(section.GetUri("u", null, "http", "https"), Is.Null);
        Assert.That(OnlyProblem(section), Does.Contain(message));
    }

    [Test]
    public void GetUri_AnyScheme_StillRejectsBarePaths()
    {
        Assert.That(Section(("u", "postgres://db/x")).GetUri("u", null), Is.EqualTo(new Uri("postgres://db/x")));
        var path = Section(("u", "/var/data"));
        path.GetUri("u", null);
        Assert.That(OnlyProblem(path), Does.Contain("expected an absolute URL"));
    }

    [TestCase("round_robin", Mode.RoundRobin)]
    [TestCase("RoundRobin", Mode.RoundRobin)]
    [TestCase("ROUND-ROBIN", Mode.RoundRobin)]
    [TestCase("parallel", Mode.Parallel)]
    public void GetEnum_Valid(string text, Mode expected)
    {
        Assert.That(Section(("m", text)).GetEnum("m", Mode.Parallel), Is.EqualTo(expected));
    }

    [Test]
    public void GetEnum_Invalid_ListsSnakeCaseChoices()
    {
        var section = Section(("m", "fast"));

        Assert.That(section.GetEnum("m", Mode.Parallel), Is.EqualTo(Mode.Parallel));
        Assert.That(OnlyProblem(section), Does.EndWith("expected one of \"round_robin\", \"parallel\", got string \"fast\""));
    }

    [Test]
    public void GetStringList_Valid_And_InvalidElementNamed()
    {
        Assert.That(Section(("l", Array("a", "b"))).GetStringList("l", []), Is.EqualTo(new[] { "a", "b" }));

        var bad = Section(("l", Array("a", 2L)));
        Assert.That(bad.GetStringList("l", ["d"]), Is.EqualTo(new[] { "d" }));
        Assert.That(OnlyProblem(bad), Is.EqualTo("gordon-user.toml:12:1: key 'burrow.l[1]': expected a string, got integer 2"));

        var notArray = Section(("l", "a"));
        notArray.GetStringList("l", []);
        Assert.That(OnlyProblem(notArray), Does.EndWith("expected an array of strings, got string \"a\""));
    }

    [Test]
    public void GetSection_NotATable_IsAProblemAndGivesEmpty()
    {
        var section = Section(("t", 1L));

        Assert.That(section.GetSection("t").Table, Is.Empty);
        Assert.That(section.GetSection("t").Path, Is.EqualTo("burrow.t"));
        Assert.That(OnlyProblem(section), Does.EndWith("expected a table, got integer 1"));
    }

    [Test]
    public void GetSection_SharesProblemsWithParent()
    {
        var child = new ConfigTable("burrow.tls", [new("verify", new ConfigValue("yes", At))]);
        var section = Section(("tls", child));

        section.GetSection("tls").GetBoolean("verify", true);

        Assert.That(OnlyProblem(section), Does.Contain("key 'burrow.tls.verify'"));
        Assert.That(section.HasErrors, Is.True);
    }

    [Test]
    public void GetSectionList_Valid_Invalid_AndCached()
    {
        var job = new ConfigTable("burrow.jobs[0]", [new("id", new ConfigValue("a", At)), new("typo", new ConfigValue(1L, At))]);
        var section = Section(("jobs", Array(job)), ("bad", Array(1L)));

        var jobs = section.GetSectionList("jobs");
        Assert.That(jobs, Has.Count.EqualTo(1));
        Assert.That(jobs[0].GetString("id", string.Empty), Is.EqualTo("a"));
        Assert.That(section.GetSectionList("jobs"), Is.SameAs(jobs));
        Assert.That(section.GetSectionList("bad"), Is.Empty);
        Assert.That(OnlyProblem(section), Does.Contain("expected an array of tables"));
        Assert.That(section.FindUnknownKeys().Select(p => p.KeyPath), Is.EqualTo(new[] { "burrow.jobs[0].typo" }));
    }

    [Test]
    public void FindUnknownKeys_FullPathAndLocation_RecursingIntoReadSections()
    {
        var tls = new ConfigTable("burrow.tls", [new("verify", new ConfigValue(true, At)), new("verfy", new ConfigValue(true, new ConfigLocation("u.toml", 4, 1)))]);
        var unread = new ConfigTable("burrow.extra", [new("x", new ConfigValue(1L, At))]);
        var section = Section(("listen", "a"), ("lisen", "b"), ("tls", tls), ("extra", unread));
        section.GetString("listen", string.Empty);
        section.GetSection("tls").GetBoolean("verify", false);

        var unknown = section.FindUnknownKeys();

        Assert.That(unknown.Select(p => p.ToString()), Is.EquivalentTo(new[]
        {
            "gordon-user.toml:12:1: key 'burrow.lisen': unknown key (not used by anything; a typo?)",
            "u.toml:4:1: key 'burrow.tls.verfy': unknown key (not used by anything; a typo?)",
            "gordon-user.toml:12:1: key 'burrow.extra': unknown key (not used by anything; a typo?)",
        }));
        Assert.That(unknown.All(p => p.IsWarning), Is.True);
    }

    [Test]
    public void MarkUsed_KeepsAKeyOutOfUnknownKeys()
    {
        var section = Section(("a", 1L));
        section.MarkUsed("a");

        Assert.That(section.FindUnknownKeys(), Is.Empty);
    }

    [Test]
    public void SecretValues_AreNeverEchoed()
    {
        var section = Section(("password", 12345L), ("api_key", Array("k", 1L)));
        var credentials = new ConfigTable("burrow.credentials", [new("user", new ConfigValue(99L, At))]);
        var nested = Section(("credentials", credentials));

        section.GetString("password", string.Empty);
        section.GetStringList("api_key", []);
        nested.GetSection("credentials").GetString("user", string.Empty);

        Assert.That(section.Problems.Select(p => p.Message), Is.EqualTo(new[] { "expected a string, got integer ***", "expected a string, got integer ***" }));
        Assert.That(nested.Problems.Single().Message, Is.EqualTo("expected a string, got integer ***"));
    }

    [Test]
    public void ThrowIfInvalid_ListsEveryError()
    {
        var section = Section(("a", 1L), ("b", "x"));
        section.GetString("a", string.Empty);
        section.GetBoolean("b", false);

        var error = Assert.Throws<ConfigException>(section.ThrowIfInvalid);

        Assert.That(error!.Problems, Has.Count.EqualTo(2));
        Assert.That(error.Message, Does.Contain("burrow.a").And.Contain("burrow.b"));
    }

    [Test]
    public void AddProblem_UsesTheKeysLocation()
    {
        var section = Section(("port", 1L));

        section.AddProblem("port", "must not be 1");

        Assert.That(OnlyProblem(section), Is.EqualTo("gordon-user.toml:12:1: key 'burrow.port': must not be 1"));
    }
}
