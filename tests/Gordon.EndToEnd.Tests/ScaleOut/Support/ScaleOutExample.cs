using System.Text.RegularExpressions;

namespace Gordon.EndToEnd.Tests.ScaleOut.Support;

/// <summary>
/// The shipped deploy/examples/scale-out/{ingest,worker}/gordon-user.toml, pointed at a test's or benchmark's servers:
/// the broker and database URLs replaced (credentials inside them, so the password lines go), the listener on a free
/// loopback port, and RabbitMQ's reconnect backoff capped at 2 s so a broker restart costs seconds, not the default
/// minute. Everything else (plugins, concurrency, prefetch, quorum queue, dead-lettering, batch size) is as shipped.
/// </summary>
/// <remarks>Also compiled into benchmarks/Gordon.Benchmarks (the scale-out benchmark runs the same configs).</remarks>
internal static partial class ScaleOutExample
{
    public static string Ingest(string repository, string brokerUrl) => Adapt(Read(repository, "ingest"), brokerUrl, storageUrl: null);

    public static string Worker(string repository, string brokerUrl, string storageUrl) => Adapt(Read(repository, "worker"), brokerUrl, storageUrl);

    private static string Read(string repository, string role) =>
        File.ReadAllText(Path.Combine(repository, "deploy", "examples", "scale-out", role, "gordon-user.toml"));

    private static string Adapt(string toml, string brokerUrl, string? storageUrl)
    {
        var text = AmqpUrl().Replace(toml, $"url = \"{brokerUrl}\"\nreconnect_backoff_max = \"2s\"");
        text = PasswordLine().Replace(text, string.Empty);
        text = Listen().Replace(text, "listen = \"127.0.0.1:0\"");
        if (storageUrl is not null)
        {
            text = PostgresUrl().Replace(text, $"url = \"{storageUrl}\"");
        }

        if (!text.Contains(brokerUrl, StringComparison.Ordinal) || !text.Contains("127.0.0.1:0", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the shipped scale-out example changed shape: adapt ScaleOutExample");
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
