using System.Text.RegularExpressions;

namespace Gordon.Benchmarks.ScaleOut;

/// <summary>
/// The shipped deploy/examples/scale-out/{ingest,worker}/gordon-user.toml pointed at the benchmark's servers (as the
/// end-to-end tests adapt them): broker and database URLs replaced, password lines dropped, a free loopback listener,
/// and the shipped log level (the daemon's address line, which the benchmark reads, is logged at information).
/// </summary>
internal static partial class ScaleOutConfigs
{
    public static string Ingest(string repository, string brokerUrl) => Adapt(Read(repository, "ingest"), brokerUrl, storageUrl: null);

    public static string Worker(string repository, string brokerUrl, string storageUrl) => Adapt(Read(repository, "worker"), brokerUrl, storageUrl);

    private static string Read(string repository, string role) =>
        File.ReadAllText(Path.Combine(repository, "deploy", "examples", "scale-out", role, "gordon-user.toml"));

    private static string Adapt(string toml, string brokerUrl, string? storageUrl)
    {
        var text = AmqpUrl().Replace(toml, $"url = \"{brokerUrl}\"");
        text = PasswordLine().Replace(text, string.Empty);
        text = Listen().Replace(text, "listen = \"127.0.0.1:0\"");
        if (storageUrl is not null)
        {
            text = PostgresUrl().Replace(text, $"url = \"{storageUrl}\"");
        }

        if (!text.Contains(brokerUrl, StringComparison.Ordinal) || !text.Contains("127.0.0.1:0", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the shipped scale-out example changed shape: adapt ScaleOutConfigs");
        }

        return text;
    }

    [GeneratedRegex("^url = \"amqp://[^\"]*\"", RegexOptions.Multiline)]
    private static partial Regex AmqpUrl();

    [GeneratedRegex("^url = \"postgresql://[^\"]*\"", RegexOptions.Multiline)]
    private static partial Regex PostgresUrl();

    [GeneratedRegex("^password = \"[^\"]*\"\n?", RegexOptions.Multiline)]
    private static partial Regex PasswordLine();

    [GeneratedRegex("^listen = \"[^\"]*\"", RegexOptions.Multiline)]
    private static partial Regex Listen();
}
