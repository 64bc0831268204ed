using Gordon.Plugins.Collectors.Stores;

namespace Gordon.Plugins.Collectors.Tests.Stores;

/// <summary>Database URLs as the storage plugin takes them.</summary>
public sealed class DatabaseUrlTests
{
    [TestCase("sqlite:////var/lib/gordon/events.db", "/var/lib/gordon/events.db")]
    [TestCase("sqlite:///events.db", "/etc/gordon/events.db")]
    [TestCase("sqlite:///data/my%20events.db", "/etc/gordon/data/my events.db")]
    public void Sqlite_AbsoluteAndRelativePaths(string url, string path)
    {
        var parsed = DatabaseUrl.Parse(url, "/etc/gordon", out _)!;

        Assert.That((parsed.Kind, parsed.FilePath), Is.EqualTo((DatabaseKind.Sqlite, path)));
        Assert.That(DatabaseUrl.Absolute(url, "/etc/gordon"), Is.EqualTo("sqlite:///" + path));
    }

    [Test]
    public void Postgres_UserPasswordHostPortDatabaseAndParameters_WithThePasswordHiddenInItsText()
    {
        var parsed = DatabaseUrl.Parse("postgresql://gordon:s%40cret@db.internal:6432/events?sslmode=require", "/", out _)!;

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Kind, Is.EqualTo(DatabaseKind.PostgreSql));
            Assert.That(parsed.ConnectionString, Does.Contain("Host=db.internal").And.Contain("Port=6432").And.Contain("Username=gordon")
                .And.Contain("Password=s@cret").And.Contain("Database=events").And.Contain("SSL Mode=Require"));
            Assert.That(parsed.Display, Is.EqualTo("postgresql://gordon:***@db.internal:6432/events?sslmode=require"));
        });
    }

    [Test]
    public void Mysql_IsRead()
    {
        var parsed = DatabaseUrl.Parse("mysql+pymysql://gordon@127.0.0.1:3307/gordon", "/", out _)!;

        Assert.That(parsed.Kind, Is.EqualTo(DatabaseKind.MySql));
        Assert.That(parsed.ConnectionString, Does.Contain("Port=3307"));
    }

    [TestCase("events.db", "expected a database URL")]
    [TestCase("oracle://x/y", "unsupported database scheme 'oracle'")]
    [TestCase("sqlite://", "expected sqlite:///relative/path.db")]
    [TestCase("sqlite:///:memory:", "must name a database file")]
    [TestCase("postgresql://h/db?no_such_option=1", "invalid database URL")]
    public void Bad_UrlsAreRejectedWithAReason(string url, string expected)
    {
        Assert.That(DatabaseUrl.Parse(url, "/", out var error), Is.Null);
        Assert.That(error, Does.Contain(expected));
    }
}
