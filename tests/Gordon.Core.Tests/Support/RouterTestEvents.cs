using System.Text;
using Gordon.Abstractions.Events;

namespace Gordon.Core.Tests.Support;

internal static class RouterTestEvents
{
    public static Event Create(string id) => new()
    {
        MessageId = id,
        EventType = "test.event",
        Generated = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Traits = [Trait.String("cluster", "local"), Trait.Integer("lag", 42)],
        Raw = Encoding.UTF8.GetBytes("{\"id\":\"" + id + "\"}"),
    };
}
