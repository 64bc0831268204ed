using System.Text;
using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Storage.Tests.Support;

/// <summary>
/// Panko's storage scenario data restated: six events i = 0..5 of types Foo, Bar, Zoo, Foo, Bar, Zoo, generated
/// T0 + i hours, with a string, an integer, a float and a datetime trait each.
/// </summary>
internal static class FixtureS
{
    public static readonly DateTimeOffset T0 = new(2013, 12, 31, 5, 0, 0, TimeSpan.Zero);

    public static readonly string[] Types = ["Foo", "Bar", "Zoo", "Foo", "Bar", "Zoo"];

    public static readonly byte[] Raw = Encoding.UTF8.GetBytes("""{"status":{"nested":"started"}}""");

    public static string Id(int i) => $"id_{Types[i]}_{100 * i}";

    public static Event Event(int i)
    {
        var b = 100 * i;
        var generated = T0.AddHours(i);
        return new Event
        {
            MessageId = Id(i),
            EventType = Types[i],
            Generated = generated,
            Raw = Raw,
            Traits =
            [
                Trait.String("trait_A", $"my_{Types[i]}_text"),
                Trait.Integer("trait_B", b + 1),
                Trait.Float("trait_C", b + 0.123456),
                Trait.DateTime("trait_D", generated),
            ],
        };
    }

    public static IReadOnlyList<Event> All() => [.. Enumerable.Range(0, 6).Select(Event)];

    public static Event Simple(string messageId, string type = "Simple", DateTimeOffset? generated = null, params Trait[] traits) =>
        new() { MessageId = messageId, EventType = type, Generated = generated ?? T0, Traits = traits, Raw = "{}"u8.ToArray() };
}
