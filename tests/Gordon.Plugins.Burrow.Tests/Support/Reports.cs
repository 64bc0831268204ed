using System.Text;
using Gordon.Abstractions.Events;
using Gordon.Plugins.Burrow.Parsing;

namespace Gordon.Plugins.Burrow.Tests.Support;

/// <summary>Parses a body the way the webhook does and builds its event.</summary>
internal static class Reports
{
    public static readonly DateTimeOffset Received = new(2024, 6, 10, 6, 30, 0, TimeSpan.Zero);

    public static Event Event(string body, bool isDelete = false, string? defaultCluster = null, string source = "webhook")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var report = BurrowReportParser.Parse(bytes, isDelete, defaultCluster);
        return ConsumerStatusEventFactory.Create(report, "test-id", Received, bytes, source);
    }

    /// <summary>The trait's value boxed (long, double, string, DateTimeOffset), or null when the event lacks it.</summary>
    public static object? Value(this Event @event, string name) => @event.TryGetTrait(name, out var trait) ? trait.Value : null;

    public static object? Value(this EventDetail detail, string name) => detail.TryGetTrait(name, out var trait) ? trait.Value : null;

    public static string[] TraitNames(this Event @event) => [.. @event.Traits.Select(t => t.Name)];

    public static string[] TraitNames(this EventDetail detail) => [.. detail.Traits.Select(t => t.Name)];
}
