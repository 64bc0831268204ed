using Gordon.Plugins.Storage.Stores;
using MySqlConnector;
using Npgsql;

namespace Gordon.Plugins.Storage.Tests.Stores;

[TestFixture]
public sealed class StorageUrlTests
{
    private const string State = "/var/lib/gordon/state";

    [TestCase("sqlite:///abs/path/events.db", "/abs/path/events.db")]
    [TestCase("sqlite://events.db", State + "/events.db")]
    [TestCase("sqlite://sub/x.db", State + "/sub/x.db")]
    [TestCase("sqlite://", State + "/events.db")]
    [TestCase("sqlite+pysqlite:///abs/x.db", "/abs/x.db")]
    public void Sqlite_PathsResolveAgainstTheStateDirectory(string url, string path)
    {
        Assert.That(StorageUrl.TryParse(url, State, null, out var parsed, out var error), Is.True, error);
        Assert.That((parsed.Backend, parsed.Target), Is.EqualTo((StorageBackend.Sqlite, path)));
    }

    [Test]
    public void Postgresql_UserPasswordHostPortDatabaseAndQuery()
    {
        Assert.That(StorageUrl.TryParse("postgresql://gordon:s%40cret@db.local:5433/events?Timeout=7", State, null, out var parsed, out var error), Is.True, error);

        var builder = new NpgsqlConnectionStringBuilder(parsed.Target);
        Assert.That((builder.Host, builder.Port, builder.Username, builder.Password, builder.Database, builder.Timeout), Is.EqualTo(("db.local", 5433, "gordon", "s@cret", "events", 7)));
        Assert.That(parsed.Description, Is.EqualTo("postgresql://gordon@db.local:5433/events"), "the password is never shown");
    }

    [Test]
    public void Mysql_PasswordKeyIsUsedWhenTheUrlHasNone()
    {
        Assert.That(StorageUrl.TryParse("mysql+pymysql://gordon@db/panko?charset=utf8", State, "from-config", out var parsed, out var error), Is.True, error);

        var builder = new MySqlConnectionStringBuilder(parsed.Target);
        Assert.That((parsed.Backend, builder.Server, builder.UserID, builder.Password, builder.Database, builder.CharacterSet), Is.EqualTo((StorageBackend.MariaDb, "db", "gordon", "from-config", "panko", "utf8mb4")));
    }

    [Test]
    public void Log_IsTheLogBackend()
    {
        Assert.That(StorageUrl.TryParse("log://localhost", State, null, out var parsed, out _), Is.True);
        Assert.That(parsed.Backend, Is.EqualTo(StorageBackend.Log));
    }

    [TestCase("foo://x", "unknown storage URL scheme 'foo'; supported: sqlite, postgresql (or postgres), mysql (or mariadb), log")]
    [TestCase("mongodb://u:p@h:27017/panko", "the storage backend 'mongodb' is not supported")]
    [TestCase("/just/a/path", "expected a URL such as")]
    [TestCase("postgresql://h:99999/db", "the port '99999' is not a number from 1 to 65535")]
    [TestCase("postgresql://h/db?NoSuchSetting=1", "query parameter 'NoSuchSetting' is not a connection setting")]
    public void Invalid_ErrorNamesTheProblem(string url, string message)
    {
        Assert.That(StorageUrl.TryParse(url, State, null, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(message));
    }
}
