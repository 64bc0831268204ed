using Gordon.Abstractions.Configuration;

namespace Gordon.Abstractions.Tests.Configuration;

public sealed class ConfigParsersTests
{
    [TestCase("RoundRobin", "round_robin")]
    [TestCase("Json", "json")]
    [TestCase("JSONLog", "json_log")]
    [TestCase("HttpServer2Go", "http_server2_go")]
    [TestCase("already_snake", "already_snake")]
    public void ToSnakeCase(string name, string expected)
    {
        Assert.That(ConfigParsers.ToSnakeCase(name), Is.EqualTo(expected));
    }

    [TestCase(0, "0s")]
    [TestCase(90_000, "1m30s")]
    [TestCase(5_400_250, "1h30m250ms")]
    public void FormatDuration_RoundTrips(long milliseconds, string expected)
    {
        var duration = TimeSpan.FromMilliseconds(milliseconds);

        Assert.That(ConfigParsers.FormatDuration(duration), Is.EqualTo(expected));
        Assert.That(ConfigParsers.ParseDuration(expected), Is.EqualTo(duration));
    }

    [Test]
    public void ParseDuration_Overflow_IsNull()
    {
        Assert.That(ConfigParsers.ParseDuration("99999999999999999d"), Is.Null);
    }

    [Test]
    public void FormatValue_EscapesAndTruncates()
    {
        Assert.That(ConfigParsers.FormatValue("a\"b\\c\nd"), Is.EqualTo("\"a\\\"b\\\\c\\nd\""));
        Assert.That(ConfigParsers.FormatValue(new string('x', 150)), Is.EqualTo("\"" + new string('x', 100) + "…\""));
        Assert.That(ConfigParsers.FormatValue(double.PositiveInfinity), Is.EqualTo("inf"));
        Assert.That(ConfigParsers.FormatValue(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)), Is.EqualTo("2026-01-02T03:04:05.0000000+00:00"));
    }

    [TestCase("password", true)]
    [TestCase("auth_token", true)]
    [TestCase("secret_access_key", true)]
    [TestCase("private_key", true)]
    [TestCase("username", false)]
    [TestCase("listen", false)]
    public void SecretKeys_IsSecret(string key, bool expected)
    {
        Assert.That(SecretKeys.IsSecret(key), Is.EqualTo(expected));
    }
}
