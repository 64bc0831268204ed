using System.Globalization;
using Gordon.Abstractions.Events;

namespace Gordon.Benchmarks.Storage;

/// <summary>The benchmark's events: a Burrow-like status with 10 traits of mixed types (4 text, 3 integer, 2 float, 1 datetime).</summary>
internal static class BenchmarkEvents
{
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly string[] Statuses = ["OK", "WARN", "ERR", "STOP"];

    public static readonly byte[] Raw = """{"status":"OK","cluster":"c","group":"g","totallag":1}"""u8.ToArray();

    public static Event Create(int n, string prefix = "ev") => new()
    {
        MessageId = prefix + "-" + n.ToString(CultureInfo.InvariantCulture),
        EventType = "burrow.consumer_status",
        Generated = Start.AddMilliseconds(n * 10L),
        Raw = Raw,
        Traits =
        [
            Trait.String("cluster", "cluster-" + (n % 20).ToString(CultureInfo.InvariantCulture)),
            Trait.String("group", "group-" + (n % 500).ToString(CultureInfo.InvariantCulture)),
            Trait.String("status", Statuses[(n / 7) % 4]),
            Trait.String("maxlag_topic", "topic-" + (n % 50).ToString(CultureInfo.InvariantCulture)),
            Trait.Integer("totallag", n * 3L),
            Trait.Integer("partition_count", n % 64),
            Trait.Integer("maxlag_partition", n % 13),
            Trait.Float("complete", (n % 100) / 100.0),
            Trait.Float("lag_rate", n * 0.25),
            Trait.DateTime("observed", Start.AddMilliseconds(n * 10L + 5)),
        ],
    };

    public static List<Event> Range(int start, int count, string prefix = "ev") =>
        [.. Enumerable.Range(start, count).Select(n => Create(n, prefix))];
}
