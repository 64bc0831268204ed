namespace Gordon.Plugins.Prometheus.Tests.Support;

/// <summary>The Debian binaries the tests run; a missing one fails the test (never skips it).</summary>
internal static class RequiredBinary
{
    public const string Prometheus = "/usr/bin/prometheus";
    public const string Promtool = "/usr/bin/promtool";
    public const string Pushgateway = "/usr/bin/prometheus-pushgateway";

    /// <summary>The path, after checking the file exists.</summary>
    public static string Require(string path)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: install the Debian package (prometheus, prometheus-pushgateway) to run this test");
        }

        return path;
    }
}
